/**
 * The base class of an entity: its fields are the props it was built from, readonly to every
 * caller, so a change goes through one of the entity's own methods, which keeps its rules. The
 * methods write with `Object.assign(this, …)`; nothing else can.
 */
export function Entity<Props extends object>() {
  return class {
    constructor(props: Props) {
      Object.assign(this, props);
    }
  } as new (
    props: Props,
  ) => Readonly<Props>;
}
