// The `stemhook` command: `serve` runs the host; every other command talks to the running host.
import { parseArgs } from 'node:util';
import { readHostConfig } from './host/config.ts';
import { CliError, call, findHost } from './cli/client.ts';
import { formatTask, formatTaskLine } from './cli/format.ts';
import { parseSubmitArgs } from './cli/submit-args.ts';
import { parseChoice, parseSeconds } from './cli/flag-values.ts';
import { runServe } from './cli/serve-command.ts';
import { formatResidual, residualOf } from './cli/residual-summary.ts';
import { EXPORT_USAGE, runExportCommand } from './cli/export-command.ts';
import { isTerminal, TASK_STATES, type TaskView } from '../../shared/domain.ts';
import { printErr, printJson, printOut } from './cli/terminal-text.ts';

const USAGE = `usage: stemhook <command>
  serve                         run the core, the local API and browser UI (demo mode without KIE_API_KEY)
  submit add-instrumental <file> --title T --tags T [--negative-tags T] [--model M] [--vocal-gender m|f]
                                [--style-weight N] [--weirdness N] [--audio-weight N] [--json]
  submit add-vocals <file> --title T --prompt P --style S [--negative-tags T] [same options] [--json]
  submit separate (--from <task> --audio-id <id> | <file>) [--type separate_vocal|split_stem] [--json]
  submit midi --from <separation task> [--stems drums,bass] [--json]   transcribe stems to MIDI (one task per stem)
  tasks [--search Q] [--state S] [--json]      list the library
  show <task> [--json]                         one task (local id or KIE task id), with a split's residual level
  wait <task> [--timeout SECONDS] [--json]     wait until the task and its downloads are finished
  credits                                      KIE credit balance
  status [--json]                              receiver, tunnel and downloads
${EXPORT_USAGE}`;

function print(value: unknown, isJson: boolean, human: () => string): void {
  if (isJson) printJson(value);
  else printOut(human());
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === 'help') return printOut(USAGE);
  const config = readHostConfig();
  if (command === 'serve') return runServe(config, rest);
  const host = findHost(config.dataDir);
  const flags = {
    json: { type: 'boolean' },
    search: { type: 'string' },
    state: { type: 'string' },
    timeout: { type: 'string' },
  } as const;

  switch (command) {
    case 'export':
      return runExportCommand(host, rest);
    case 'submit': {
      const { inputs, isJson } = parseSubmitArgs(rest);
      const tasks: TaskView[] = [];
      for (const input of inputs) tasks.push(await call(host, 'tasks.submit', input));
      return print(tasks.length === 1 ? tasks[0] : tasks, isJson, () =>
        tasks
          .map((task) => `submitted ${task.id} (KIE task ${task.kieTaskId})\n${formatTask(task)}`)
          .join('\n'),
      );
    }
    case 'tasks': {
      const { values } = parseArgs({ args: rest, options: flags, strict: true });
      const tasks = await call(host, 'tasks.list', {
        search: values.search,
        state: parseChoice('state', values.state, TASK_STATES),
        limit: 500,
      });
      return print(tasks, values.json === true, () =>
        tasks.length ? tasks.map(formatTaskLine).join('\n') : 'no tasks yet',
      );
    }
    case 'show':
    case 'wait': {
      const { values, positionals } = parseArgs({
        args: rest,
        options: flags,
        strict: true,
        allowPositionals: true,
      });
      const id = positionals[0];
      if (!id) throw new CliError(`${command} which task? Give its id or KIE task id.`);
      const timeoutSec = parseSeconds('timeout', values.timeout, 600);
      let task = await call(host, 'tasks.get', { id });
      const deadline = Date.now() + timeoutSec * 1000;
      while (
        command === 'wait' &&
        !(isTerminal(task.state) && task.tracks.every((t) => t.state === 'ready' || t.state === 'error'))
      ) {
        if (Date.now() > deadline)
          throw new CliError(`task ${id} is still ${task.state} after ${timeoutSec}s`);
        await new Promise((r) => setTimeout(r, 250));
        task = await call(host, 'tasks.get', { id });
      }
      if (command === 'wait') return print(task, values.json === true, () => formatTask(task));
      const residual = await residualOf(host, task);
      return print({ ...task, residual }, values.json === true, () =>
        [formatTask(task), ...(residual ? [formatResidual(residual)] : [])].join('\n'),
      );
    }
    case 'credits': {
      const { credits } = await call(host, 'credits.get', {});
      return printOut(`${credits} credits${host.mode === 'demo' ? ' (demo simulator)' : ''}`);
    }
    case 'status': {
      const { values } = parseArgs({ args: rest, options: flags, strict: true });
      const status = await call(host, 'host.status', {});
      return print(status, values.json === true, () =>
        [
          ...(status.storage.message ? [`storage ${status.storage.message}`] : []),
          `mode ${status.mode}`,
          `public URL ${status.publicUrl ?? `none (${status.pollingOnly ? 'polling only' : 'local callbacks'})`}`,
          `tunnel ${status.tunnel.state}${status.tunnel.reason ? `: ${status.tunnel.reason}` : ''}`,
          `downloads ${status.downloads.active} running, ${status.downloads.queued} queued`,
          `ui ${host.uiUrl}`,
        ].join('\n'),
      );
    }
    default:
      throw new CliError(`unknown command "${command}"\n${USAGE}`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  printErr(`stemhook: ${message.split('\n')[0]}`);
  if (error instanceof CliError && message.includes('\n')) printErr(message.split('\n').slice(1).join('\n'));
  process.exitCode = error instanceof CliError ? error.exitCode : 1;
});
