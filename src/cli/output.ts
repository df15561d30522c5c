/**
 * Where a command writes its lines: the terminal in `servicekonto`, a buffer when a test runs the command in its own
 * process. Results go to `out` (scripts read them), warnings and errors to `err`.
 */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

export const terminal: CliOutput = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
};
