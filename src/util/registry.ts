// Named types rebuilt from plain JSON configurations ({ type: 'Linear', … }): layers,
// losses, optimizers, metrics. One lookup and one way of reporting a bad
// configuration, for all of them.

import { rangeError, typeError } from './check.js';

/** A configuration: the registered type's name and its options. */
export interface TypedConfig {
  /** The registered type's name, e.g. `'Linear'`, `'MSELoss'`, `'SGD'`. */
  type: string;
  /** The type's options, as its constructor takes them. */
  [option: string]: unknown;
}

/** Marks errors that already say where in a configuration they arose. */
const LOCATED = Symbol('located');

function located<E extends Error>(error: E): E {
  return Object.assign(error, { [LOCATED]: true });
}

export class TypeRegistry<Factory> {
  private readonly entries = new Map<string, { factory: Factory; builtIn: boolean }>();

  /** `kind` names the things registered, for messages: 'layer', 'loss', 'optimizer'. */
  constructor(
    private readonly kind: string,
    builtIn: readonly (readonly [type: string, factory: Factory])[],
  ) {
    for (const [type, factory] of builtIn) this.entries.set(type, { factory, builtIn: true });
  }

  /** Adds a type of the user's own (a factory checked by the caller); built-in names cannot be replaced. */
  register(type: string, factory: Factory): void {
    if (typeof type !== 'string' || type === '') throw typeError('type', 'a non-empty string', type);
    if (this.entries.get(type)?.builtIn) throw rangeError('type', `a name no built-in ${this.kind} has`, type);
    this.entries.set(type, { factory, builtIn: false });
  }

  isBuiltIn(type: string): boolean {
    return this.entries.get(type)?.builtIn === true;
  }

  types(): string[] {
    return [...this.entries.keys()];
  }

  /**
   * Builds what `config` describes: checks it is `{ type, … }` with a registered
   * type, then runs `build` with that type's factory. An argument error from the
   * factory is rethrown, same class, prefixed with where it arose (`network.layers[2]
   * (Linear): …`), once, however deeply configurations nest.
   */
  build<T>(config: unknown, path: string, build: (factory: Factory, config: TypedConfig) => T): T {
    if (typeof config !== 'object' || config === null || Array.isArray(config)) {
      throw located(typeError(path, `a ${this.kind} configuration { type, … }`, config));
    }
    const { type } = config as { type?: unknown };
    if (typeof type !== 'string') throw located(typeError(`${path}.type`, `a ${this.kind} type name`, type));
    const entry = this.entries.get(type);
    if (entry === undefined) {
      throw located(rangeError(`${path}.type`, `a registered ${this.kind} type (${this.types().join(', ')})`, type));
    }
    try {
      return build(entry.factory, config as TypedConfig);
    } catch (error) {
      const isArgumentError = error instanceof TypeError || error instanceof RangeError;
      if (!isArgumentError || (error as { [LOCATED]?: true })[LOCATED]) throw error;
      const Class = error instanceof RangeError ? RangeError : TypeError;
      throw located(new Class(`${path} (${type}): ${error.message}`));
    }
  }
}
