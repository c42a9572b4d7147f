// Headline: the CLI as a library — runCli(argv, io) returns the exit code.
import { runCli } from '@graphon-pai/cli';

let out = '';
const code = await runCli(['plugins', 'list', '--json'], {
  stdout: (text) => {
    out += text;
  },
  stderr: () => {},
  isTTY: false,
});
const listed = JSON.stringify(JSON.parse(out));
console.log(code, listed.includes('graphon-pai/snip'), listed.includes('graphon-pai/synflow')); // 0 true true
console.log(await runCli(['no-such-command'], { stdout: () => {}, stderr: () => {}, isTTY: false })); // 2
