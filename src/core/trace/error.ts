/** A malformed trace file; the message names the file and, where there is one, the 1-based line. */
export class TraceError extends Error {
  constructor(
    readonly fileName: string,
    readonly line: number | null,
    detail: string,
  ) {
    super(line === null ? `${fileName}: ${detail}` : `${fileName}, line ${line}: ${detail}`);
    this.name = 'TraceError';
  }
}
