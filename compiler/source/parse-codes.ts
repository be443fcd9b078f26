/** Codes of the problems found while reading the file (KSS1xxx), with their one-line docs. */

export interface CodeInfo {
  code: string;
  doc: string;
}

export const PARSE_CODES = {
  yamlSyntax: { code: 'KSS1001', doc: 'The file is not valid YAML (or JSON).' },
  duplicateKey: { code: 'KSS1002', doc: 'A mapping has the same key twice; YAML forbids it and some readers keep only the last one.' },
  notMapping: { code: 'KSS1003', doc: 'The top level of the policy must be a mapping from request type to rule tree.' },
  ruleTreeNotList: { code: 'KSS1004', doc: 'A request type must map to a list of rule sets.' },
  ruleSetNotList: { code: 'KSS1005', doc: 'A rule set must be a list of rules.' },
  ruleNotMapping: { code: 'KSS1006', doc: 'A rule must be a mapping with a `rule` key and its arguments.' },
  tooLarge: { code: 'KSS1008', doc: 'The file is larger than any policy can reasonably be.' },
  notText: { code: 'KSS1009', doc: 'The file is not text (binary content).' },
  aliasProblem: { code: 'KSS1010', doc: 'An alias refers to an unknown anchor, or aliases expand too much.' },
  notUtf8: { code: 'KSS1011', doc: 'The file is not valid UTF-8.' },
  tooComplex: { code: 'KSS1012', doc: 'The document is nested too deeply, merges too deeply or has too many nodes to be a policy.' },
} satisfies Record<string, CodeInfo>;

/** Maps the yaml package's error codes to ours. */
export function yamlErrorCode(code: string): keyof typeof PARSE_CODES {
  if (code === 'DUPLICATE_KEY') return 'duplicateKey';
  if (code === 'BAD_ALIAS' || code === 'RESOURCE_EXHAUSTION') return 'aliasProblem';
  return 'yamlSyntax';
}
