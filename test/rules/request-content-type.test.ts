import { expect, it } from "vitest";
import { covers, isMediaType, requestContentType } from "../../compiler/check/rules/request-content-type.js";
import { document, runRule, where } from "./support.js";

const create = (contentType: string): string =>
  document(`  - workflowId: create
    steps:
      - stepId: createPet
        operationId: createPet
        requestBody:
          contentType: "${contentType}"
          payload: { name: Rex }`);

it("errs on a contentType that is not a media type, at the contentType", () => {
  const diagnostics = runRule(requestContentType, create("json"));
  expect(where(diagnostics)).toEqual(["AZC4043 11:24"]);
  expect(diagnostics[0]!.message).toBe("contentType 'json' is not a media type");
});

it("errs on a media type the operation's requestBody does not accept, naming those it does", () => {
  const diagnostics = runRule(requestContentType, create("text/plain"));
  expect(where(diagnostics)).toEqual(["AZC4044 11:24"]);
  expect(diagnostics[0]!.message).toBe("Operation createPet does not accept a request body of type 'text/plain'");
  expect(diagnostics[0]!.fix).toBe("Send one of the media types its requestBody declares: application/json.");
});

it("accepts a declared media type in any case and with parameters", () => {
  expect(runRule(requestContentType, create("Application/JSON; charset=utf-8"))).toEqual([]);
});

it("reads media types as RFC 9110 writes them", () => {
  for (const good of ["application/json", "application/vnd.api+json", "multipart/form-data; boundary=x", 'text/plain; charset="utf-8"'])
    expect(isMediaType(good), good).toBe(true);
  for (const bad of ["json", "application/", "/json", "application/json charset", "application json", ""])
    expect(isMediaType(bad), bad).toBe(false);
});

it("lets the operation's media ranges cover what the step sends", () => {
  expect(covers("*/*", "application/xml")).toBe(true);
  expect(covers("application/*", "application/x-www-form-urlencoded")).toBe(true);
  expect(covers("application/*", "text/plain")).toBe(false);
  expect(covers("application/json; charset=utf-8", "application/json")).toBe(true);
  expect(covers("application/json", "application/vnd.api+json")).toBe(false);
});
