import type { z } from 'zod';

/** The key a stored JSON document carries its version under (documents stored before versions existed have none). */
export const VERSION_KEY = '$v';

/** Stored JSON that no version of FixRes Lab wrote: a hand edit, a damaged file, or a bug. */
export class StoredDocumentError extends Error {
  constructor(message: string) {
    super(`${message} It was written outside FixRes Lab or damaged: restore lab.sqlite from a backup.`);
    this.name = 'StoredDocumentError';
  }
}

/** A JSON column's document: read from any version ever stored, written as the latest. */
export interface StoredDocument<T> {
  readonly name: string;
  /** The latest version; what `write` stamps. */
  readonly version: number;
  /** Each version's schema, oldest first (their shapes are pinned by a test: a shipped version never changes). */
  readonly schemas: readonly z.ZodType[];
  /** Parses stored text of any earlier version, upgraded to the latest. `where` names the row in errors ("run #12"). */
  read(text: string, where: string): T;
  /** The stored text of a document (validated first: a wrong shape is never stored). */
  write(value: T): string;
}

interface Version {
  schema: z.ZodType;
  /** Turns a document of the previous version into one of this version. */
  upgrade?: (previous: unknown) => unknown;
}

/**
 * The history of one stored document, oldest version first: each `then` adds a version with
 * its schema and the upgrade from the one before. Never edit a version once it has shipped;
 * add the next one.
 */
export class DocumentHistory<Latest extends z.ZodType> {
  private constructor(
    private readonly name: string,
    private readonly versions: readonly Version[],
  ) {}

  /** Version 1 of the document `name`. */
  static start<S extends z.ZodType>(name: string, schema: S): DocumentHistory<S> {
    return new DocumentHistory<S>(name, [{ schema }]);
  }

  /** The next version: its schema and how a document of the current latest version becomes one. */
  then<S extends z.ZodType>(schema: S, upgrade: (previous: z.output<Latest>) => z.input<S>): DocumentHistory<S> {
    return new DocumentHistory<S>(this.name, [...this.versions, { schema, upgrade: upgrade as (p: unknown) => unknown }]);
  }

  /**
   * The finished history. `unmarkedUpTo`: the last version stored before documents carried their
   * version; a document without a mark is the newest of versions 1…unmarkedUpTo its shape fits
   * (their schemas are strict, so the shapes cannot be mistaken for one another).
   */
  done(options: { unmarkedUpTo: number }): StoredDocument<z.output<Latest>> {
    const { name, versions } = this;
    const latest = versions.length;
    return {
      name,
      version: latest,
      schemas: versions.map((v) => v.schema),
      read(text, where) {
        const { version, body } = unmark(parseJson(text, name, where), options.unmarkedUpTo, versions, name, where);
        let value = check(versions[version - 1]!.schema, body, name, where, version);
        for (let v = version + 1; v <= latest; v++) {
          value = check(versions[v - 1]!.schema, versions[v - 1]!.upgrade!(value), name, where, v);
        }
        return value as z.output<Latest>;
      },
      write(value) {
        const parsed = versions[latest - 1]!.schema.safeParse(value);
        if (!parsed.success) {
          // A bug, not a damaged file: said plainly, without the advice to restore a backup.
          throw new Error(`Refusing to store a ${name} of the wrong shape: ${firstIssue(parsed.error)}`);
        }
        return JSON.stringify({ [VERSION_KEY]: latest, ...(parsed.data as object) });
      },
    };
  }
}

function parseJson(text: string, name: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new StoredDocumentError(`The stored ${name} of ${where} is not JSON (${text.slice(0, 60)}).`);
  }
}

function unmark(
  json: unknown,
  unmarkedUpTo: number,
  versions: readonly Version[],
  name: string,
  where: string,
): { version: number; body: unknown } {
  if (json !== null && typeof json === 'object' && !Array.isArray(json) && VERSION_KEY in json) {
    const { [VERSION_KEY]: version, ...body } = json as Record<string, unknown>;
    if (typeof version !== 'number' || !Number.isInteger(version) || version < 1 || version > versions.length) {
      throw new StoredDocumentError(
        `The stored ${name} of ${where} has version ${String(version)}; this FixRes Lab knows versions 1–${versions.length}.`,
      );
    }
    return { version, body };
  }
  for (let v = unmarkedUpTo; v >= 1; v--) if (versions[v - 1]!.schema.safeParse(json).success) return { version: v, body: json };
  const issue = firstIssue(versions[unmarkedUpTo - 1]!.schema.safeParse(json).error!);
  throw new StoredDocumentError(`The stored ${name} of ${where} matches no version FixRes Lab ever wrote (${issue}).`);
}

function check(schema: z.ZodType, value: unknown, name: string, where: string, version: number): unknown {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new StoredDocumentError(
    `The stored ${name} of ${where} is not a valid version ${version} (${firstIssue(parsed.error)}).`,
  );
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'unknown problem';
  return issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message;
}
