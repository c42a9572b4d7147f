/**
 * The `graphon-pai` command line: one commander program, one error boundary.
 *
 * Exit codes: 0 ok; 2 bad usage or input (unknown command or flag, malformed spec, missing or corrupt file,
 * broken plugin — every {@link GraphonPaiError}); 1 internal error (anything else: a bug to report).
 * Errors are one line on stderr naming the input and the fix; `--debug` adds the stack.
 */
import { DEFAULT_PLUGIN_TIMEOUT_SECONDS, type GraphonPaiError, isUserError } from '@graphon-pai/core';
import { Command, CommanderError, InvalidArgumentError as CommanderInvalidArgument } from 'commander';
import { commands } from './command-table';
import { type CliIo, processIo } from './io';
import { CONFIG_FILE, type LoadPluginsOptions, loadAllPlugins } from './plugins';
import { version } from './version';

export type { CommandRegistrar } from './command-table/registrar';

function parsePluginTimeout(value: string): number {
  const seconds = Number(value);
  if (!(Number.isFinite(seconds) && seconds > 0)) {
    throw new CommanderInvalidArgument('expected a positive number of seconds, e.g. --plugin-timeout 600');
  }
  return seconds;
}

function buildProgram(io: CliIo): Command {
  const program = new Command('graphon-pai')
    .description(
      'Pruning at initialisation through graphon limits: prune networks, estimate mask graphons, measure cut ' +
        'distances, evaluate expressivity and generalisation bounds, and reproduce the experiments.',
    )
    .version(version, '-V, --version', 'print the version')
    .option('--debug', 'print stack traces of errors')
    .option(
      '--plugin <module>',
      'load a pruner plugin by module name or path (repeatable)',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option(
      '--config <file>',
      `read plugins from a config file (default: ./${CONFIG_FILE} when present; read by prune, experiment and plugins list)`,
    )
    .option(
      '--plugin-timeout <seconds>',
      `time limit of one call of a plugin's criterion or masker (default: ${DEFAULT_PLUGIN_TIMEOUT_SECONDS})`,
      parsePluginTimeout,
    )
    .hook('preAction', async (_program, action) => {
      const path: string[] = [];
      for (let c: Command | null = action; c && c !== program; c = c.parent) path.unshift(c.name());
      await loadAllPlugins(program.opts<LoadPluginsOptions>(), process.cwd(), {
        command: path.join(' '),
        announce: io.stderr,
      });
    })
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();
  for (const register of commands) register(program, io);
  program.commands.forEach((c) => {
    c.exitOverride();
    c.configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  });
  return program;
}

/** Runs the CLI on `argv` (without the node and script paths); resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through exitOverride with exit code 0; usage errors were already printed.
      return error.exitCode === 0 ? 0 : 2;
    }
    const debug = argv.includes('--debug');
    if (isUserError(error)) {
      io.stderr(`error: ${(error as GraphonPaiError).message}\n`);
      if (debug && error instanceof Error) io.stderr(`${error.stack}\n`);
      return 2;
    }
    const e = error instanceof Error ? error : new Error(String(error));
    io.stderr(`internal error: ${e.message}\n`);
    io.stderr(
      debug ? `${e.stack}\n` : 'This is a bug in graphon-pai; rerun with --debug and report the stack.\n',
    );
    return 1;
  }
}
