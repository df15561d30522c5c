/** A configuration error names the variable so an operator can fix it (STYLE.md habit 7). */
export class ConfigError extends Error {
  readonly variable: string;
  constructor(variable: string, problem: string) {
    super(`${variable}: ${problem}`);
    this.variable = variable;
  }
}
