/**
 * The grammar of Python `re` patterns (chevrotain CstParser). Python's own restrictions that a
 * context-free grammar does not express (group references, flags placement, fixed-width
 * look-behind, ...) are checked when the CST becomes an AST (ast.ts).
 *
 *   pattern     := alternation EOF
 *   alternation := sequence ("|" sequence)*
 *   sequence    := item*
 *   item        := atom Quantifier?
 *   atom        := group | class | escape | "." | "^" | "$" | GlobalFlags | Literal | Dash...
 *   group       := (Open | NamedGroup | NonCapture | LookAhead | LookBehind | ScopedFlags) alternation ")"
 *                | NamedBackref | OtherExtension
 *   class       := (ClassOpenBracket rangeTail? | ClassOpen) classItem* "]"
 *   classItem   := classAtom rangeTail?          rangeTail := "-" (classAtom | "-")
 */
import { CstParser, type CstNode, type IToken } from 'chevrotain';
import * as T from './lexer.js';

const classAtoms = [T.EscCategory, T.EscHex, T.EscU4, T.EscU8, T.EscName, T.EscClassOctal, T.EscClassSimple, T.EscOther, T.Literal];
const escapesOutside = [T.EscAnchor, T.EscCategory, T.EscHex, T.EscU4, T.EscU8, T.EscName, T.EscOctal, T.EscBackref, T.EscSimple, T.EscOther];
const simpleAtoms = [...escapesOutside, T.Dot, T.Caret, T.Dollar, T.GlobalFlags, T.GlobalFlagsVerbose, T.Literal, T.NamedBackref];
const groupOpens = [T.Open, T.NamedGroup, T.NonCapture, T.LookAhead, T.LookBehind, T.ScopedFlags, T.OtherExtension];

class RegexParser extends CstParser {
  constructor() {
    super(T.allTokens, { recoveryEnabled: false, maxLookahead: 2 });
    this.performSelfAnalysis();
  }

  pattern = this.RULE('pattern', () => {
    this.SUBRULE(this.alternation);
  });

  alternation = this.RULE('alternation', () => {
    this.SUBRULE(this.sequence);
    this.MANY(() => {
      this.CONSUME(T.Pipe);
      this.SUBRULE2(this.sequence);
    });
  });

  sequence = this.RULE('sequence', () => {
    this.MANY(() => this.SUBRULE(this.item));
  });

  item = this.RULE('item', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.atom) },
      // A quantifier with nothing before it; reported as "nothing to repeat" by ast.ts.
      { ALT: () => this.CONSUME(T.Quantifier) },
    ]);
    this.MANY(() => this.CONSUME2(T.Quantifier));
  });

  atom = this.RULE('atom', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.group) },
      { ALT: () => this.SUBRULE(this.charClass) },
      { ALT: () => this.OR2(simpleAtoms.map((tok) => ({ ALT: () => this.CONSUME(tok) }))) },
    ]);
  });

  group = this.RULE('group', () => {
    this.OR(groupOpens.map((tok) => ({ ALT: () => this.CONSUME(tok) })));
    this.SUBRULE(this.alternation);
    this.CONSUME(T.Close);
  });

  charClass = this.RULE('charClass', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.ClassOpenBracket);
          this.OPTION({ GATE: () => this.LA(2).tokenType !== T.ClassClose, DEF: () => this.SUBRULE(this.rangeTail) });
        },
      },
      { ALT: () => this.CONSUME(T.ClassOpen) },
    ]);
    this.MANY(() => this.SUBRULE(this.classItem));
    this.CONSUME(T.ClassClose);
  });

  classItem = this.RULE('classItem', () => {
    this.OR([{ ALT: () => this.SUBRULE(this.classAtom) }, { ALT: () => this.CONSUME(T.Dash) }]);
    this.OPTION({
      GATE: () => this.LA(1).tokenType === T.Dash && this.LA(2).tokenType !== T.ClassClose,
      DEF: () => this.SUBRULE(this.rangeTail),
    });
  });

  rangeTail = this.RULE('rangeTail', () => {
    this.CONSUME(T.Dash);
    this.OR([{ ALT: () => this.SUBRULE(this.classAtom) }, { ALT: () => this.CONSUME2(T.Dash) }]);
  });

  classAtom = this.RULE('classAtom', () => {
    this.OR(classAtoms.map((tok) => ({ ALT: () => this.CONSUME(tok) })));
  });
}

export const regexParser = new RegexParser();

/** The single token or sub-node of a CST node that has exactly one child. */
export function only(node: CstNode): CstNode | IToken {
  for (const key in node.children) {
    const list = node.children[key];
    if (list && list.length > 0) return list[0]!;
  }
  throw new Error(`empty ${node.name}`);
}

export function isToken(x: CstNode | IToken): x is IToken {
  return (x as IToken).image !== undefined;
}
