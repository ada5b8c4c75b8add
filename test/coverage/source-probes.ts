// Where a source file has code to run: the start of every statement (its line counts as a line of
// code) and of every branch arm (if/else, ?:, &&/||/??, switch cases), found with TypeScript's parser.
import ts from 'typescript';

export interface Probe {
  /** 0-based line and column in the original file. */
  line: number;
  column: number;
}

export interface SourceProbes {
  statements: Probe[];
  branches: Probe[];
}

const STATEMENT_KINDS = new Set([
  ts.SyntaxKind.VariableStatement,
  ts.SyntaxKind.ExpressionStatement,
  ts.SyntaxKind.ReturnStatement,
  ts.SyntaxKind.IfStatement,
  ts.SyntaxKind.ForStatement,
  ts.SyntaxKind.ForOfStatement,
  ts.SyntaxKind.ForInStatement,
  ts.SyntaxKind.WhileStatement,
  ts.SyntaxKind.DoStatement,
  ts.SyntaxKind.SwitchStatement,
  ts.SyntaxKind.ThrowStatement,
  ts.SyntaxKind.TryStatement,
  ts.SyntaxKind.BreakStatement,
  ts.SyntaxKind.ContinueStatement,
  ts.SyntaxKind.ExportAssignment,
]);

const LOGICAL_OPERATORS = new Set([
  ts.SyntaxKind.AmpersandAmpersandToken,
  ts.SyntaxKind.BarBarToken,
  ts.SyntaxKind.QuestionQuestionToken,
  ts.SyntaxKind.AmpersandAmpersandEqualsToken,
  ts.SyntaxKind.BarBarEqualsToken,
  ts.SyntaxKind.QuestionQuestionEqualsToken,
]);

function isDeclareOnly(node: ts.Node): boolean {
  return (
    ts.canHaveModifiers(node) &&
    (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.DeclareKeyword)
  );
}

export function sourceProbes(path: string, text: string): SourceProbes {
  const kind = path.endsWith('.tsx')
    ? ts.ScriptKind.TSX
    : path.endsWith('.js')
      ? ts.ScriptKind.JS
      : ts.ScriptKind.TS;
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, kind);
  const statements: Probe[] = [];
  const branches: Probe[] = [];
  const at = (node: ts.Node): Probe => {
    const { line, character } = file.getLineAndCharacterOfPosition(node.getStart(file));
    return { line, column: character };
  };
  const visit = (node: ts.Node): void => {
    if (ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node) || isDeclareOnly(node)) return;
    if (ts.isTypeNode(node) || ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return;
    if (STATEMENT_KINDS.has(node.kind)) statements.push(at(node));
    if (ts.isPropertyDeclaration(node) && node.initializer) statements.push(at(node.initializer));
    if (ts.isArrowFunction(node) && !ts.isBlock(node.body)) statements.push(at(node.body));
    if (ts.isIfStatement(node)) {
      branches.push(at(node.thenStatement));
      if (node.elseStatement) branches.push(at(node.elseStatement));
    }
    if (ts.isConditionalExpression(node)) branches.push(at(node.whenTrue), at(node.whenFalse));
    if (ts.isBinaryExpression(node) && LOGICAL_OPERATORS.has(node.operatorToken.kind))
      branches.push(at(node.right));
    if (ts.isCaseClause(node) || ts.isDefaultClause(node)) branches.push(at(node.statements[0] ?? node));
    ts.forEachChild(node, visit);
  };
  visit(file);
  return { statements, branches };
}
