// Type-level assertions on the Arazzo 1.1 fixture: Selector Objects typed from their context (JSON pointers and
// singular queries as one value, other JSONPath queries as arrays of the selected nodes).
import type {
  guardedRead,
  PlaceOrderOutputs,
  PlaceOrderSteps,
  SearchOutputs,
  GuardedReadOutputs,
  OrderSummaryOutputs,
} from "../../out/v11-semantics/orders.arazzo.js";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;

type Order = {
  id: number;
  status: "open" | "confirmed" | "shipped";
  total: number;
  lines?: Array<{ sku: string; qty: number }>;
};
type List = PlaceOrderSteps["listOrders"];
// A wildcard, then a member: the member's type, per node.
export type Ids = Assert<Equal<List["ids"], number[]>>;
// A filter, then a member (the dialect named explicitly: rfc9535).
export type OpenTotals = Assert<Equal<List["openTotals"], number[]>>;
// A JSON pointer through an array index: the element may be missing.
export type FirstTotal = Assert<Equal<List["firstTotal"], number | undefined>>;
// A singular JSONPath query: one value, not an array.
export type FirstStatus = Assert<Equal<List["firstStatus"], "open" | "confirmed" | "shipped" | undefined>>;
export type Lines = Assert<Equal<List["lines"], Order[]>>;
// A pointer into another step's output (the whole body, typed): a required member.
export type OrderId = Assert<Equal<PlaceOrderOutputs["orderId"], number>>;
export type Skus = Assert<Equal<PlaceOrderOutputs["skus"], string[]>>;
export type Found = Assert<Equal<SearchOutputs["found"], Order[]>>;
// A goto with workflowId and parameters hands its result to that workflow: the function returns either.
export type Guarded = Assert<Equal<Awaited<ReturnType<typeof guardedRead>>, GuardedReadOutputs | OrderSummaryOutputs>>;
export type Summary = Assert<Equal<OrderSummaryOutputs, { total: number; seenStatus: string | undefined }>>;
