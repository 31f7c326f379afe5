// Type-level assertions on the shop-flows fixture: a goto to another workflow makes that workflow's outputs
// a possible result.
import type { LoginOutputs, StockOrLoginOutputs } from "../../out/cases/shop-flows.arazzo.js";
import type { stockOrLogin } from "../../out/cases/shop-flows.arazzo.js";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;

export type Result = Assert<Equal<Awaited<ReturnType<typeof stockOrLogin>>, StockOrLoginOutputs | LoginOutputs>>;
