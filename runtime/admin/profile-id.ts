/**
 * The profile ids an administrator types (`quota clear --profile`, `DELETE /v1/quota?profile=`):
 * hex, whole bytes, as requests carry them (SPEC 4.2, 6). Anything else cannot match a counter,
 * so clearing it would quietly clear nothing; it is refused with what a profile id looks like.
 */
const HEX_BYTES = /^(?:[0-9a-fA-F]{2})+$/;

/** Why `text` is not a profile id, or null when it is one. */
export function profileIdProblem(text: string): string | null {
  if (HEX_BYTES.test(text)) return null;
  const what = text === '' ? 'an empty profile id' : `\`${text}\` is not a profile id`;
  return `${what}: a profile id is hex digits, two per byte, as requests carry it (for example \`00112233445566778899aabbccddeeff\`)`;
}
