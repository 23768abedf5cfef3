/**
 * Exceptions are for "cannot continue" only (bad usage, unreadable input, an archive that is not a bundle,
 * I/O failure, internal bugs). Everything an auditor should read is a Finding (see model/finding.ts).
 */
export class BaseError<C extends string> extends Error {
  readonly code: C;
  override readonly cause?: unknown;
  constructor(code: C, message: string, options?: { cause?: unknown }) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

export type UsageErrorCode = 'USAGE';
/** The caller asked for something that cannot be done as asked (bad flag combination, missing option). */
export class UsageError extends BaseError<UsageErrorCode> {
  constructor(message: string) {
    super('USAGE', message);
  }
}

export type InputErrorCode = 'INPUT_UNREADABLE' | 'INPUT_INVALID' | 'INPUT_DUPLICATE' | 'INPUT_SCHEMA' | 'INPUT_TOO_LARGE' | 'INPUT_EMPTY';
/** Input (a manifest file, a key, a trust file, a policy) cannot be read or does not have the expected shape. */
export class InputError extends BaseError<InputErrorCode> {
  readonly file?: string;
  readonly fields: string[];
  constructor(code: InputErrorCode, message: string, options?: { file?: string; fields?: string[]; cause?: unknown }) {
    super(code, message, options);
    if (options?.file !== undefined) this.file = options.file;
    this.fields = options?.fields ?? [];
  }
}

export type BundleFormatErrorCode = 'NOT_A_BUNDLE' | 'UNSUPPORTED_VERSION';
/** The bytes are not a bundle at all (not gzip, not tar, no bag): nothing can be verified. */
export class BundleFormatError extends BaseError<BundleFormatErrorCode> {}

export type OutputErrorCode = 'OUTPUT_FAILED' | 'OUTPUT_NOT_REGULAR' | 'OUTPUT_READ_ONLY' | 'OUTPUT_LOCKED';
/**
 * An output cannot be written (disk full, read-only directory, the path is a directory, a FIFO or a device,
 * the file is read-only, another gwe process holds its lock). The message names the output path.
 */
export class OutputError extends BaseError<OutputErrorCode> {
  readonly path: string;
  constructor(code: OutputErrorCode, path: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.path = path;
  }
}

export type InternalErrorCode = 'INTERNAL';
export class InternalError extends BaseError<InternalErrorCode> {
  constructor(message: string, options?: { cause?: unknown }) {
    super('INTERNAL', message, options);
  }
}
