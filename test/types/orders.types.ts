// Type-level assertions on the typed-orders fixture: JSON Schema inputs and OpenAPI response types.
import type { PlaceOrderInputs, PlaceOrderOutputs, PlaceOrderSteps } from "../../out/cases/typed-orders.arazzo.js";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;

// enum and const as literal unions; nullable via a type array; tuples; records; oneOf as a union.
export type Priority = Assert<Equal<PlaceOrderInputs["priority"], "low" | "normal" | "high">>;
export type Channel = Assert<Equal<PlaceOrderInputs["channel"], "web" | undefined>>;
export type Note = Assert<Equal<PlaceOrderInputs["note"], string | null | undefined>>;
export type Coordinates = Assert<Equal<PlaceOrderInputs["coordinates"], [number, number] | undefined>>;
export type Tags = Assert<Equal<PlaceOrderInputs["tags"], Record<string, string> | undefined>>;
export type Contact = Assert<Equal<PlaceOrderInputs["contact"], { email: string } | { phone: string } | undefined>>;
// Nested $ref into components.inputs.
export type Items = Assert<Equal<PlaceOrderInputs["items"], Array<{ sku: string; quantity: number }>>>;

type Create = PlaceOrderSteps["create"];
// The status the criteria admit, as a literal.
export type Code = Assert<Equal<Create["code"], 201>>;
// A required response header is a string; an optional one may be absent.
export type Location = Assert<Equal<Create["location"], string>>;
export type Trace = Assert<Equal<Create["trace"], string | undefined>>;
// Through $ref and an enum; an array element may be absent; a 3.1 type array with null.
export type Status = Assert<Equal<Create["status"], "pending" | "paid" | "shipped">>;
export type FirstSku = Assert<Equal<Create["firstSku"], string | undefined>>;
export type Total = Assert<Equal<Create["total"], number | null | undefined>>;
// Through oneOf with a discriminator: the discriminator is always present.
export type PaymentKind = Assert<Equal<Create["paymentKind"], "card" | "invoice">>;
export type OrderId = Assert<Equal<PlaceOrderOutputs["orderId"], string>>;
