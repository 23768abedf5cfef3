/** Exit codes, documented in the README. */
export const Exit = {
  /** verified / ok */
  OK: 0,
  /** verified, but there are error-severity findings (policy, drift, exposure) */
  FINDINGS: 1,
  /** integrity or signature failure: the bundle cannot be trusted */
  INTEGRITY: 2,
  /**
   * verified, but the capture is PARTIAL (the collector recorded gaps): not evidence of the whole cluster.
   * Error findings (1) and integrity failures (2) take precedence; `collect --strict` also exits 3 on a gap.
   */
  PARTIAL: 3,
  /** usage error: unknown command or flag, missing or conflicting options, a NUL byte in an argument (sysexits EX_USAGE) */
  USAGE: 64,
  /** input unreadable or malformed: a file that does not exist, bad YAML, bad key, not a bundle (sysexits EX_DATAERR) */
  INPUT: 65,
  /** an output cannot be written: disk full, read-only directory or file, a directory/FIFO/device as target (sysexits EX_CANTCREAT) */
  OUTPUT: 73,
  /** internal error: a bug (sysexits EX_SOFTWARE) */
  INTERNAL: 70,
} as const;
export type ExitCode = (typeof Exit)[keyof typeof Exit];
