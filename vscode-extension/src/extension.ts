/**
 * The kss VS Code extension: a thin client. It starts the bundled language server (dist/server.cjs,
 * built from lsp/ of the kss repository) and forwards three commands to it as custom requests, so
 * all policy logic stays in the server, shared with `kss check` and `kss fmt`.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind } from 'vscode-languageclient/node';
import type { LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
// The server's answer to `kss/ruleIds`: one definition, shared with the server (erased at build).
import type { RuleIdEntry } from '../../lsp/commands.js';

const LANGUAGE = 'keyserver-policy';
let client: LanguageClient | undefined;


export async function activate(context: vscode.ExtensionContext): Promise<void> {
  client = createClient(context);
  await client.start();

  context.subscriptions.push(
    vscode.commands.registerCommand('kss.checkWorkspace', () => checkWorkspace()),
    vscode.commands.registerCommand('kss.showRuleIds', () => showRuleIds()),
    vscode.commands.registerCommand('kss.dumpNormalizedPolicy', () => dumpNormalizedPolicy()),
    vscode.commands.registerCommand('kss.restartServer', async () => {
      await client?.restart();
    }),
  );
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

function createClient(context: vscode.ExtensionContext): LanguageClient {
  const module = context.asAbsolutePath('dist/server.cjs');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.stdio },
    debug: { module, transport: TransportKind.stdio, options: { execArgv: ['--nolazy', '--inspect=6029'] } },
  };
  const docs = vscode.Uri.joinPath(context.extensionUri, 'docs', 'diagnostics').toString();
  const clientOptions: LanguageClientOptions = {
    // The language covers keyserver.yml and *.keyserver.yml; users map any other YAML file to it with
    // `files.associations`, and the server then serves it like the others.
    documentSelector: [{ language: LANGUAGE }],
    synchronize: {
      configurationSection: 'kss',
      // The project config (severity overrides) that `kss check` reads too.
      fileEvents: vscode.workspace.createFileSystemWatcher('**/{.kss.yml,.kss.yaml,kss.config.yml,kss.config.yaml,kss-coverage.json}'),
    },
    initializationOptions: {
      docsBaseUrl: `${docs}/`,
      severity: vscode.workspace.getConfiguration('kss').get('severity', {}),
      formatWarmUp: vscode.workspace.getConfiguration('kss').get('formatWarmUp', true),
    },
  };
  return new LanguageClient('kss', 'Keyserver Policy', serverOptions, clientOptions);
}

function activePolicy(): vscode.Uri | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== LANGUAGE) {
    void vscode.window.showWarningMessage('Open a keyserver policy (keyserver.yml or *.keyserver.yml) first.');
    return undefined;
  }
  return editor.document.uri;
}

async function checkWorkspace(): Promise<void> {
  if (!client) return;
  const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.toString());
  const result = await client.sendRequest<{ files: Array<{ uri: string; errors: number; warnings: number }> }>('kss/checkWorkspace', { folders });
  const errors = result.files.reduce((n, f) => n + f.errors, 0);
  const warnings = result.files.reduce((n, f) => n + f.warnings, 0);
  const summary = `kss: ${result.files.length} polic${result.files.length === 1 ? 'y' : 'ies'} checked, ${errors} error(s), ${warnings} warning(s)`;
  if (errors + warnings > 0) await vscode.commands.executeCommand('workbench.actions.view.problems');
  void vscode.window.showInformationMessage(summary);
}

async function showRuleIds(): Promise<void> {
  const uri = activePolicy();
  if (!client || !uri) return;
  const result = await client.sendRequest<{ ruleIds: RuleIdEntry[]; error?: string }>('kss/ruleIds', { uri: uri.toString() });
  if (result.error) {
    void vscode.window.showErrorMessage(`kss: ${result.error}`);
    return;
  }
  const rows = result.ruleIds.map((r) =>
    `| ${r.requestType} | ${r.ruleSet} | ${r.rule} | ${r.kind ?? '?'} | \`${r.ruleId}\` | ${r.explicit ? 'explicit' : 'derived'} | ${r.line + 1} |`);
  const content = [`# Rule ids of ${vscode.workspace.asRelativePath(uri)}`, '', '| request type | rule set | rule | kind | rule_id | | line |', '|---|---|---|---|---|---|---|', ...rows, ''].join('\n');
  const document = await vscode.workspace.openTextDocument({ language: 'markdown', content });
  await vscode.window.showTextDocument(document, { preview: true, viewColumn: vscode.ViewColumn.Beside });
}

async function dumpNormalizedPolicy(): Promise<void> {
  const uri = activePolicy();
  if (!client || !uri) return;
  const result = await client.sendRequest<{ policy: unknown; errors: number; error?: string }>('kss/normalizedPolicy', { uri: uri.toString() });
  if (result.error || result.policy === null) {
    void vscode.window.showErrorMessage(`kss: ${result.error ?? 'the policy could not be normalised'}`);
    return;
  }
  if (result.errors > 0) void vscode.window.showWarningMessage(`kss: the policy has ${result.errors} error(s); the normalised form leaves out what could not be read`);
  const document = await vscode.workspace.openTextDocument({ language: 'json', content: `${JSON.stringify(result.policy, null, 2)}\n` });
  await vscode.window.showTextDocument(document, { preview: true, viewColumn: vscode.ViewColumn.Beside });
}
