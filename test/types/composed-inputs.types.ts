// Type-level assertions on the composed-inputs fixture: inputs declared through allOf, oneOf, anyOf and
// $ref are members of the generated Inputs interfaces, as the checker knows them.
import type {
  ReadOrderAllOfInputs,
  ReadOrderAnyOfInputs,
  ReadOrderAnyOfOutputs,
  ReadOrderOneOfInputs,
  ReadOrderOneOfOutputs,
  ReadOrderRefInputs,
} from "../../out/cases/composed-inputs.arazzo.js";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;

// allOf: the members of every member, required where any member requires them.
export type AllOf = Assert<Equal<ReadOrderAllOfInputs, { apiKey: string; orderId: string }>>;
// oneOf: the members of every branch, optional unless every branch requires them.
export type OneOf = Assert<Equal<ReadOrderOneOfInputs, { orderId?: string; reference?: string }>>;
// An output that reads an optional input may be undefined.
export type OneOfReference = Assert<Equal<ReadOrderOneOfOutputs["reference"], string | undefined>>;
// anyOf next to the schema's own properties.
export type AnyOf = Assert<Equal<ReadOrderAnyOfInputs, { orderId: string; note?: string; tag?: string }>>;
export type AnyOfNote = Assert<Equal<ReadOrderAnyOfOutputs["note"], string | undefined>>;
// A $ref to a component that is an allOf of $refs.
export type Ref = Assert<Equal<ReadOrderRefInputs, { apiKey: string; orderId: string }>>;
