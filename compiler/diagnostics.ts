// The catalogue of diagnostics: every problem arazzoc reports has a stable code here, a severity, a
// message template and the fix to suggest. Codes never change meaning once released; retired codes stay
// reserved. `docs/diagnostics.md` is kept in sync with this table by a test.

export type Severity = "error" | "warning";

export interface CatalogueEntry {
  readonly severity: Severity;
  /** What is wrong; `{name}` placeholders are filled from the diagnostic's arguments. */
  readonly message: string;
  /** How to fix it, shown under the message. */
  readonly fix: string;
}

export const catalogue = {
  // 1xxx: reading files
  AZC1001: { severity: "error", message: "Cannot read {file}: {reason}", fix: "Check that the path exists and is readable." },
  AZC1002: {
    severity: "error",
    message: "Invalid {format}: {reason}",
    fix: "Fix the syntax at this position; YAML 1.2 is expected (spaces for indentation, no tabs), or JSON.",
  },
  AZC1003: {
    severity: "error",
    message: "Duplicate key '{key}'",
    fix: "Remove or rename one of the keys: a key may appear only once in a mapping.",
  },
  AZC1004: {
    severity: "error",
    message: "The document is empty",
    fix: "Write an Arazzo document: an object with arazzo, info, sourceDescriptions and workflows.",
  },
  AZC1005: {
    severity: "error",
    message: "The document root is {actual}, not an object",
    fix: "An Arazzo document is a mapping with arazzo, info, sourceDescriptions and workflows at the top level.",
  },
  AZC1006: {
    severity: "error",
    message: "No Arazzo documents found in {path}",
    fix: "Pass .yaml, .yml or .json Arazzo files, or a folder that holds them.",
  },
  AZC1007: {
    severity: "error",
    message: "Unresolvable $ref '{ref}': {reason}",
    fix: "Point the $ref at an existing file inside the project folder (see --root) and a JSON pointer in it.",
  },
  AZC1010: {
    severity: "warning",
    message: "Unresolvable $ref '{ref}' in the description: {reason}",
    fix: "Values read through it are typed unknown; fix the reference in the description, or map the description to a corrected copy with --source.",
  },
  AZC1008: {
    severity: "error",
    message: "{file} is not an OpenAPI description: {reason}",
    fix: "A source of type openapi must be an OpenAPI 3.x or Swagger 2.0 document.",
  },
  AZC1009: {
    severity: "error",
    message: "Remote source '{url}' is not read",
    fix: "Map it to a local copy with --source {name}=<path>, or allow network access with --allow-remote.",
  },
  AZC1050: {
    severity: "error",
    message: "{file} is outside the project folder {root}, and is not read{note}",
    fix: "Move the file into the project folder, name a folder that holds both with --root <folder> (root in the API), or allow reads anywhere with --allow-outside-root.",
  },
  AZC1051: {
    severity: "error",
    message: "Cannot read {file}: it is {what}, not a regular file",
    fix: "Name a regular file: folders, devices, pipes and sockets are never read.",
  },
  AZC1052: {
    severity: "error",
    message: "{file} is larger than the limit of {limit} bytes",
    fix: "Raise the limit with --max-file-size <size>, e.g. 256MiB (maxFileBytes in the API), if the file is meant to be this large.",
  },
  AZC1053: {
    severity: "error",
    message: "The aliases of {file} expand to more than {limit} nodes",
    fix: "Write the repeated content out or share it with $ref: YAML aliases that nest into an exponential document are refused.",
  },
  AZC1054: {
    severity: "error",
    message: "Remote document '{url}' is not read: {host} is {what} ({address})",
    fix: "Only public addresses are read; if {host} is trusted, allow it with --allow-remote-host {host} (allowRemoteHosts in the API), or map the source to a local copy with --source.",
  },
  AZC1100: {
    severity: "error",
    message: "{file} is not a usable AsyncAPI description: {reason}",
    fix: "A source of type asyncapi must be an AsyncAPI 3.0 or 2.x (2.0 to 2.6) document with an asyncapi version field.",
  },
  AZC1110: {
    severity: "warning",
    message: "Unresolvable $ref '{ref}': {reason}",
    fix: "A $ref under a $self or $id resolves against it, as a URI: compile the document that declares that URI (as its $self, or a schema's $id) with this one, map the URI's prefix to a local folder with --source <prefix>=<folder>, or correct the $ref. Values read through it are typed unknown.",
  },
  AZC1111: {
    severity: "warning",
    message: "{keyword} '{value}' is not a URI reference; the references under it resolve against {base}",
    fix: "Write {keyword} as an absolute URI without a fragment, or as one relative to the document's base URI.",
  },
  AZC2001: { severity: "error", message: "{message}", fix: "Correct the field as the Arazzo 1.0.1 specification defines it." },
  AZC2002: {
    severity: "error",
    message: "Unknown field '{field}' in {object}",
    fix: "Remove it, or prefix it with x- to make it a specification extension.",
  },
  AZC2003: { severity: "error", message: "Missing required field '{field}' in {object}", fix: "Add the field." },
  AZC2004: {
    severity: "error",
    message: "Unsupported Arazzo version '{version}'",
    fix: "arazzoc compiles Arazzo 1.0.x and 1.1.x documents: write arazzo: 1.1.0 or arazzo: 1.0.1 (quoted if needed).",
  },
  AZC2005: {
    severity: "error",
    message: "The arazzo version is a number ({version}), not a string",
    fix: 'Quote it: arazzo: "{version}".',
  },
  AZC2010: {
    severity: "error",
    message: "{construct} needs arazzo: 1.1.0; this document declares arazzo: {version}",
    fix: "Change the document's arazzo field to 1.1.0 (docs/arazzo-1.1.md lists what else 1.1 changes), or remove {construct}.",
  },
  AZC2012: {
    severity: "warning",
    message: "{kind} '{id}' cannot be named in an Arazzo 1.1 runtime expression",
    fix: "Use only letters, digits, - and _ in a {kind}: $steps.<stepId>, $workflows.<workflowId> and dependsOn entries allow nothing else.",
  },
  AZC2013: {
    severity: "warning",
    message: "The value of parameter '{name}' is an object, which the Arazzo 1.1 schema does not allow",
    fix: "An object value is sent as given; the 1.1 schema allows a parameter value to be a string, number, boolean, null, array or Selector Object. Check whether a Selector Object was meant ({ context, selector, type }).",
  },
  AZC2011: {
    severity: "error",
    message: "channelPath '{channelPath}' cannot address a channel: source {source} is of type {type}, not asyncapi",
    fix: "channelPath points at a channel of an asyncapi source: {$sourceDescriptions.<name>.url}#/channels/<channel>. For an OpenAPI operation write operationId or operationPath instead.",
  },
  AZC2020: {
    severity: "error",
    message: "'{key}' is not a valid name for {what}: names hold only letters, digits, '.', '-' and '_'",
    fix: "Rename it, e.g. '{suggestion}', where it is declared and where it is read; what the value holds belongs in a description.",
  },

  // 3xxx: runtime expressions, templates and criteria
  AZC3001: {
    severity: "error",
    message: "Invalid runtime expression '{text}': {reason}",
    fix: "Write a runtime expression such as $inputs.name, $steps.<stepId>.outputs.<name> or $response.body#/pointer.",
  },
  AZC3002: {
    severity: "warning",
    message: "Bare runtime expression '{expression}' inside a string is interpolated",
    fix: 'Wrap it in braces: "{suggestion}".',
  },
  AZC3003: {
    severity: "error",
    message: "Invalid condition '{text}': {reason}",
    fix: "Simple conditions combine runtime expressions and literals ('single-quoted' strings, numbers, true, false, null) with == != < <= > >= && || ! and parentheses.",
  },
  AZC3004: {
    severity: "warning",
    message: "JSONPath criterion '{text}' is a comparison, not an RFC 9535 query",
    fix: "Write it as a simple condition: {simple} (or as the RFC 9535 filter {suggestion}, which arazzoc also applies to an object context itself).",
  },

  AZC3005: {
    severity: "error",
    message: "Invalid JSONPath query '{text}': {reason}",
    fix: "Write an RFC 9535 JSONPath query, e.g. $[?@.status == 'done'].",
  },
  AZC3006: {
    severity: "error",
    message: "Invalid regular expression '{text}': {reason}",
    fix: "Write an ECMAScript regular expression, e.g. ^2\\d\\d$.",
  },
  AZC3007: {
    severity: "error",
    message: "Criterion of type {type} needs a context",
    fix: "Add context: $response.body (or another runtime expression) to say what the condition applies to.",
  },
  AZC3008: { severity: "error", message: "xpath criteria are not supported", fix: "Use a jsonpath, regex or simple criterion." },
  AZC3009: { severity: "error", message: "'{expression}' is not available in {place}", fix: "{hint}" },
  AZC3011: {
    severity: "error",
    message: "The JSON payload is not JSON, whatever its values: {reason}",
    fix: "Fix the JSON syntax around this line (a missing comma or quote, a trailing comma).",
  },
  AZC3010: {
    severity: "warning",
    message: "A criterion with type: simple has no context",
    fix: "Add a context, or drop 'type: simple' (the default), which needs none.",
  },
  AZC3050: {
    severity: "warning",
    message: "This object has the shape of a Selector Object, but the document is Arazzo {version}: it is sent as a literal object",
    fix: "Selector Objects need arazzo: 1.1.0; set that version to evaluate it, or rename its keys if the object is meant literally.",
  },
  AZC3052: {
    severity: "error",
    message: "Goessner JSONPath '{text}' uses {feature}, outside the part it shares with RFC 9535",
    fix: "Write the query with names, indices, wildcards, slices, descendants and filters that compare @.path with a literal, or as RFC 9535 (type: jsonpath).",
  },

  // 302x: forms with one clear meaning that the specification does not allow: compiled, with the standard form
  AZC3020: {
    severity: "warning",
    message: "'{text}' navigates with . or [n] outside a simple condition; it is read as {suggestion}",
    fix: "Write {suggestion}: outside simple conditions, a runtime expression reads into a value with a JSON pointer (#/member/0).",
  },
  AZC3021: {
    severity: "warning",
    message: "operationPath '{text}' names its source by {how}; it is read as {suggestion}",
    fix: "Write {suggestion}: an operationPath starts with the source's URL, as the expression {$sourceDescriptions.<name>.url}.",
  },
  AZC3022: {
    severity: "warning",
    message: "The JSON pointer in '{text}' does not start with /; it is read as {suggestion}",
    fix: "Write {suggestion}: a JSON pointer after # starts with / (an empty pointer is the whole value).",
  },
  AZC3023: {
    severity: "warning",
    message: "'{text}' reads headers, plural; it is read as {suggestion}",
    fix: "Write {suggestion}: one header is header.<name>, singular ($response.header.<name>, $message.header.<name>).",
  },
  AZC3024: {
    severity: "warning",
    message: "The regular expression '{text}' starts with the inline flag (?i), which ECMA-262 patterns do not have; it is compiled to match regardless of case",
    fix: "Drop (?i) and match both cases where they matter: {suggestion}.",
  },
  AZC3025: {
    severity: "warning",
    message: "Output '{name}' is the constant {value}, not a runtime expression; it is compiled as that value",
    fix: "Outputs are runtime expressions: return the constant from the code that calls the workflow, or take it as an input and write $inputs.<name>.",
  },
  AZC3026: {
    severity: "warning",
    message: "'$method' in {place} is the bound operation's method, {method}, known when compiling",
    fix: "Write the method itself: {method}. $method is a value of the response's request, for criteria and step outputs.",
  },
  AZC3027: {
    severity: "warning",
    message: "'{text}' starts with $ but is not a runtime expression ({reason}); it is sent as the literal text",
    fix: "{hint}",
  },
  AZC3028: {
    severity: "warning",
    message: "Criterion '{text}' reads 'length' of a value; it is compiled as the length of the array (or string) there",
    fix: "Write {suggestion}: .length is a JavaScript property, not a member of the JSON value.",
  },
  AZC3029: {
    severity: "warning",
    message: "Input '{name}' of workflow {workflowId} has no '{pointer}' in its schema",
    fix: "Check the JSON pointer against the workflow's inputs schema; property names are case-sensitive.",
  },

  AZC3041: {
    severity: "warning",
    message: "The condition '{text}' is wrapped in braces",
    fix: "Drop the outer braces: a simple condition is written as is ($statusCode == 200); braces embed an expression in text.",
  },

  // 307x: $url before the request is sent
  AZC3070: {
    severity: "error",
    message: "'$url' in a {location} parameter would be a part of the URL it stands for",
    fix: "Use $url in the request body or in a header or cookie parameter; here, write the value from what makes the URL (the inputs, a step's outputs).",
  },
  AZC3071: {
    severity: "warning",
    message: "'$url' in {place} is the URL this request is sent to, built before the body and the headers",
    fix: "To keep the document portable, send what makes the URL (e.g. {$inputs.id}) and read $url where the request has been sent: in criteria and step outputs.",
  },

  // 4xxx: references and the OpenAPI binding
  AZC4001: {
    severity: "error",
    message: "Unknown operationId '{operationId}'{suggestion}",
    fix: "Use an operationId declared in the source description (operationIds are case-sensitive).",
  },
  AZC4002: {
    severity: "error",
    message: "Unknown source description '{name}'",
    fix: "Use one of the names in sourceDescriptions: {names}.",
  },
  AZC4003: {
    severity: "error",
    message: "Unknown step '{stepId}' in workflow '{workflowId}'",
    fix: "Use one of the stepIds of this workflow: {names}.",
  },
  AZC4004: {
    severity: "error",
    message: "Step '{stepId}' has no output '{output}'{sent}",
    fix: "Declare the output in the step's outputs, or read one it declares: {names}{alternative}.",
  },
  AZC4005: {
    severity: "error",
    message: "Unknown input '{name}'",
    fix: "Declare it under the workflow's inputs properties, or use one of: {names}.",
  },
  AZC4006: { severity: "error", message: "{feature} is not supported yet", fix: "{hint}" },
  AZC4007: {
    severity: "warning",
    message: "Parameter '{name}' (in {in}) is not declared by operation {operationId}; it is sent as given",
    fix: "Check the name, or declare the parameter in the OpenAPI description.",
  },
  AZC4008: {
    severity: "error",
    message: "Required {in} parameter '{name}' of operation {operationId} is not supplied{misplaced}",
    fix: "Add a parameter with name: {name} and in: {in}.",
  },
  AZC4009: {
    severity: "error",
    message: "Path parameter '{name}' is not in the path template {path}",
    fix: "Use one of the template's parameters: {names}.",
  },
  AZC4010: { severity: "error", message: "Duplicate {what} '{name}'", fix: "{what} must be unique; rename or remove one." },
  AZC4011: {
    severity: "error",
    message: "{reader} reads $steps.{target}.outputs.{output}, but step '{target}' has not run on any path to it",
    fix: "Read outputs of a step that runs before this one.",
  },
  AZC4020: {
    severity: "warning",
    message: "{reader} reads $steps.{target}.outputs.{output}, but step '{target}' does not run on every path to it",
    fix: "The value is undefined on the paths that skip '{target}'; make sure they cannot reach here, or read it where '{target}' has certainly run.",
  },
  AZC4021: {
    severity: "warning",
    message: "The response of {operationId} has no '{pointer}' in its schema (status {statuses})",
    fix: "Check the JSON pointer against the response schema; property names are case-sensitive.",
  },
  AZC4013: {
    severity: "error",
    message: "Required request body of operation {operationId} is not supplied",
    fix: "Add requestBody with a payload to the step.",
  },

  AZC4014: { severity: "error", message: "Unknown workflow '{workflowId}'", fix: "Use one of the workflowIds of this document: {names}." },
  AZC4015: {
    severity: "error",
    message: "dependsOn forms a cycle: {cycle}",
    fix: "Remove one of the dependencies so that the workflows can run in some order.",
  },
  AZC4016: {
    severity: "warning",
    message: "Parameter '{name}' has in: {in}, which a step calling a workflow ignores",
    fix: "Remove 'in': the parameter is the input '{name}' of workflow {workflowId}.",
  },
  AZC4017: {
    severity: "warning",
    message: "A step that calls a workflow sends no request body; this one is ignored",
    fix: "Pass the values as parameters: they become the workflow's inputs.",
  },
  AZC4018: { severity: "warning", message: "'{name}' is not an input of workflow {workflowId}", fix: "Use one of its inputs: {names}." },
  AZC4019: {
    severity: "error",
    message: "Required input '{name}' of workflow {workflowId} is not supplied",
    fix: "Add a parameter named {name} (without 'in') to the step.",
  },

  AZC4022: {
    severity: "error",
    message: "Replacement target '{target}' is not in the payload",
    fix: "Point the target at a member of the payload, or at /- of an array to append.",
  },

  AZC4023: {
    severity: "error",
    message: "Arazzo source {file} leads back to this document (the documents name each other in a cycle)",
    fix: "Break the cycle: a document cannot call workflows of a document that calls its own.",
  },
  AZC4030: {
    severity: "error",
    message: "{expression} reads workflow '{workflowId}', which has not run there: {reason}",
    fix: "List '{workflowId}' in dependsOn, or read it in or after a step that calls it (workflowId: {workflowId}).",
  },
  AZC4031: {
    severity: "warning",
    message: "{expression} reads workflow '{workflowId}', which has not run (or not succeeded) on every path to it",
    fix: "The value is undefined on the paths where '{workflowId}' did not complete; read it where it has certainly run, or list it in dependsOn.",
  },
  AZC4032: {
    severity: "warning",
    message: "Step '{stepId}' declares no output '{output}'; it is read from the outputs of the workflow the step calls",
    fix: "Declare it on step '{stepId}': outputs: {{output}: $outputs.{output}}.",
  },
  AZC4033: {
    severity: "warning",
    message: "Workflow output '{output}' reads {what}, which no path to a successful end runs; the output is always absent",
    fix: "Read a step or workflow that runs before the workflow ends, or remove the output.",
  },

  AZC4040: {
    severity: "error",
    message: "Step '{stepId}' names an operation, but {reason}",
    fix: "Add the OpenAPI description that declares the operation to sourceDescriptions (type: openapi) and name it there, or call a workflow with workflowId.",
  },
  AZC4041: {
    severity: "error",
    message: "operationId '{operationId}' is declared by several operations of source '{source}': {operations}",
    fix: "An operationId must name one operation; name the one meant by its path, operationPath: {paths} (or make the operationIds unique in the description).",
  },
  AZC4042: {
    severity: "error",
    message: "operationId '{operationId}' is not qualified, but the document has {count} OpenAPI or AsyncAPI sources; {where}",
    fix: "With several OpenAPI sources an operationId names its source: write operationId: {qualified}.",
  },

  AZC4043: {
    severity: "error",
    message: "contentType '{contentType}' is not a media type",
    fix: "Write a media type, type/subtype with optional parameters, e.g. application/json or application/x-www-form-urlencoded.",
  },
  AZC4044: {
    severity: "error",
    message: "Operation {operationId} does not accept a request body of type '{contentType}'",
    fix: "Send one of the media types its requestBody declares: {accepted}.",
  },
  AZC4045: {
    severity: "warning",
    message: "Workflow '{workflowId}' is listed in dependsOn more than once",
    fix: "Remove the repeat: a workflow a workflow depends on runs once before it, however often it is listed.",
  },
  AZC4047: {
    severity: "warning",
    message: "{output} has no '{pointer}' in its schema ({origin}){suggestion}",
    fix: "Check the JSON pointer against the schema of the value the output reads; property names are case-sensitive.",
  },

  AZC4130: {
    severity: "error",
    message: "Malformed Selector Object: {reason}",
    fix: "A Selector Object has exactly context (a runtime expression), selector (a string) and type (jsonpath, jsonpointer, xpath or an Expression Type Object), plus x- extensions.",
  },
  AZC4131: {
    severity: "error",
    message: "XPath {what} cannot be compiled: the generated code carries no XML parser",
    fix: "Select from JSON with jsonpath or jsonpointer; for an XML body, parse it in your own code and pass the value in as an input.",
  },
  AZC4132: {
    severity: "error",
    message: "Invalid JSON pointer '{text}': {reason}",
    fix: "Write an RFC 6901 pointer: empty for the whole value, or tokens each starting with / (~0 for ~, ~1 for /), e.g. /items/0/id.",
  },
  AZC4133: {
    severity: "error",
    message: "Replacement target '{target}' is a JSONPath query, but the target is read as a JSON pointer",
    fix: "Add targetSelectorType: jsonpath, or write the target as a JSON pointer such as /items/0/id.",
  },
  AZC4134: {
    severity: "error",
    message: "Replacement target '{target}' {reason}",
    fix: "Point a JSONPath target at members or indices only ($.order.items[0].id): each names one place of the payload to set.",
  },
  AZC4135: {
    severity: "error",
    message: "dependsOn names step '{stepId}', which workflow {workflowId} does not have (its steps: {names})",
    fix: "Name a step of that workflow (stepIds are case-sensitive), or remove the entry.",
  },
  AZC4136: {
    severity: "error",
    message: "Steps depend on each other in a cycle: {cycle}",
    fix: "Remove one dependsOn entry of the cycle (a read of a step's outputs is a dependency too), so that some step can run first.",
  },
  AZC4137: {
    severity: "warning",
    message: "Workflow {workflowId} runs its steps in the order dependsOn and output reads require, not as listed: {order}",
    fix: "List the steps in that order (then nothing is reordered), or keep it: generated code runs them in this order.",
  },
  AZC4138: {
    severity: "warning",
    message: "Step '{stepId}' depends on {dependency}, which is not certain to have succeeded when it starts: this is checked when the step runs",
    fix: "Make sure the dependency runs first on every path (for another workflow: list it in this workflow's dependsOn); otherwise the step fails with reason dependency.",
  },
  AZC4139: {
    severity: "error",
    message: "Action parameter '{name}' has in: {in}; an action's parameters are inputs of workflow {workflowId}",
    fix: "Remove 'in': the parameter is the input '{name}' of the workflow the action runs.",
  },
  AZC4140: {
    severity: "error",
    message: "Action parameter '{name}' is not an input of workflow {workflowId}",
    fix: "Use one of its inputs: {names}.",
  },
  AZC4141: {
    severity: "error",
    message: "Action {action} gives workflow {workflowId} parameters but not its required input '{name}'",
    fix: "Add a parameter named {name} to the action's parameters.",
  },
  AZC4142: {
    severity: "error",
    message: "Action {action} gives parameter '{name}' twice",
    fix: "Keep one of them: each input of the workflow takes one value.",
  },
  AZC4143: {
    severity: "error",
    message: "Step '{stepId}' has an in: querystring parameter and {other}",
    fix: "An in: querystring parameter is the whole query string: put every query member into its value, and remove the other.",
  },
  AZC4144: {
    severity: "error",
    message: "The in: querystring parameter '{name}' has {kind} value; the query string is text",
    fix: "Write the query string as text, e.g. 'status=available&limit={$inputs.limit}', or give a runtime expression or Selector Object.",
  },
  // 415x: message steps (AsyncAPI sources)
  AZC4150: {
    severity: "error",
    message: "Step '{stepId}' names AsyncAPI {target} but has no action",
    fix: "Add action: send or action: receive: what the workflow does on the channel.",
  },
  AZC4151: {
    severity: "error",
    message: "{field} applies only to steps that send or receive messages; {target} is an OpenAPI operation",
    fix: "Remove {field}, or name an AsyncAPI operation (operationId) or channel (channelPath).",
  },
  AZC4152: {
    severity: "error",
    message: "channelPath '{text}' does not name an AsyncAPI channel: {reason}",
    fix: "Write '{$sourceDescriptions.<name>.url}#/channels/<channel key>' with the name of an asyncapi source; a / in the key is written ~1.",
  },
  AZC4153: {
    severity: "error",
    message: "Parameter '{name}' has in: {in}, which a message step has no place for",
    fix: "Use in: header for a message header, or in: channel for a parameter of the channel's address.",
  },
  AZC4154: {
    severity: "error",
    message: "correlationId cannot be matched: no message of {channel} declares where its correlation ID is",
    fix: "Declare correlationId with a location ($message.header#/<name> or $message.payload#/<pointer>) on the AsyncAPI messages, or remove correlationId.",
  },
  AZC4155: {
    severity: "warning",
    message: "Receive step '{stepId}' has no timeout: it may wait for ever",
    fix: "Add timeout: <milliseconds> to the step, or bound the wait with the receiveTimeoutMs or timeoutMs option.",
  },
  AZC4156: {
    severity: "error",
    message: "A receive step sends nothing: its requestBody has no meaning",
    fix: "Remove requestBody, or make the step action: send.",
  },
  AZC4157: {
    severity: "error",
    message: "Channel parameter '{name}' of {address} has no value{reason}",
    fix: "Add a parameter with name: {name} and in: channel, or a default to the AsyncAPI channel parameter; a send step also reads a parameter from the message it sends, at the parameter's location.",
  },
  AZC4158: {
    severity: "warning",
    message: "The subscription of receive step '{stepId}' opens only when the step starts: a message sent before may be missed",
    fix: "Give the step one step before it, and take correlationId and the channel parameters from inputs or from steps that run before that one: the subscription then opens before it.",
  },
  AZC4159: {
    severity: "warning",
    message: "Receive step '{stepId}' has no successCriteria, so any message it takes is a success, but {why}",
    fix: "Add successCriteria over $message.payload that only the success message meets (e.g. condition: $message.payload#/status == 'accepted').",
  },
  AZC4161: {
    severity: "error",
    message: "operationPath names AsyncAPI source '{name}'; operationPath addresses OpenAPI operations",
    fix: "Name the channel with channelPath: '{$sourceDescriptions.{name}.url}#/channels/<key>', or the AsyncAPI operation with operationId.",
  },
  AZC4163: {
    severity: "warning",
    message: "Header '{name}' is not declared by the messages of {target}; it is sent as given",
    fix: "Check the name against the messages' headers: {names}.",
  },
  AZC4162: {
    severity: "error",
    message: "Parameter '{name}' has in: channel, which only steps that send or receive messages have",
    fix: "Use in: path, query, header or cookie: a channel parameter fills the address of an AsyncAPI channel.",
  },
  AZC4164: {
    severity: "warning",
    message: "Receive step '{stepId}' can take the message step '{sender}' sends: both use {channel}, and {why}",
    fix: "Receive where the reply is sent (the operation's reply channel, or another operation or channel), or correlate on a value only the reply carries.",
  },
  AZC4165: {
    severity: "warning",
    message: "Send step '{stepId}' has no payload, but the message of {target} requires {names}",
    fix: "Add requestBody with a payload that has {names}: without one the payload is undefined, and the transport decides what is sent.",
  },
  AZC4166: {
    severity: "warning",
    message: "Send step '{stepId}' names {target}, which carries several messages ({names}): which one is sent is not said",
    fix: "Name, with operationId, an AsyncAPI operation that sends only the message meant; as written, the payload is typed as any of them.",
  },
  AZC4167: {
    severity: "warning",
    message: "The correlationId of receive step '{stepId}' is an {kind}: it matches only a correlation ID written as the same canonical JSON",
    fix: "Give a string, number or boolean (a literal, an expression or a {} template) equal to the correlation ID the message carries.",
  },
  AZC4168: {
    severity: "warning",
    message: "Receive step '{stepId}' correlates on correlationId, but message(s) {names} of {target} declare no correlation location: they are never matched",
    fix: "Declare correlationId with a location ($message.header#/<name> or $message.payload#/<pointer>) on those AsyncAPI messages, or name an operation that receives only messages that declare one.",
  },
  AZC4169: {
    severity: "warning",
    message: "Send step '{stepId}' does not send the correlation ID its message keeps at {location}: a receiver that correlates on it never takes this message",
    fix: "Send the value there: add {send}.",
  },
  AZC4170: {
    severity: "warning",
    message: "{expression} may be absent ({where}): the step then fails before sending, with reason expression",
    fix: "Make the value certain (require the input, or read a member the response schema requires), or pass it as the whole value of a query or header parameter, which is left out when absent.",
  },
  // 419x: channel parameters of message steps
  AZC4190: {
    severity: "warning",
    message: "Channel parameter '{name}' is '{value}', which {address} does not allow",
    fix: "Use one of the values the AsyncAPI parameter's enum lists: {values}.",
  },
  AZC4191: {
    severity: "error",
    message: "Channel parameter '{name}' of {address} is read from {location}, which step '{stepId}' does not send",
    fix: "Send the value there (an in: header parameter of that name, or that member of the payload), or add a parameter with name: {name} and in: channel.",
  },
  AZC4192: {
    severity: "warning",
    message: "Step '{stepId}' names {target} by channelPath, but operation '{operationId}' covers that channel",
    fix: "Write operationId: {reference} instead of channelPath: the specification prefers the operation when one covers the channel.",
  },

  // 5xxx: control flow
  AZC4100: {
    severity: "error",
    message: "Two documents declare the same $self '{self}': this one and {other}",
    fix: "A $self is a document's identity: give each document its own, or compile only one of the two.",
  },
  AZC4101: {
    severity: "warning",
    message: "Source '{name}' is found by its location '{url}', but the document declares the identity '{self}'",
    fix: "Reference the document by its $self (url: {self}): Arazzo 1.1 resolves references by identity, so that a copied, mirrored or offline document set still resolves.",
  },
  AZC4102: {
    severity: "error",
    message: "'$self' needs the document's absolute URI, but {reason}",
    fix: "Give the document an absolute $self, such as $self: https://example.com/workflows/orders.arazzo.yaml: a relative one resolves against where the file is read, which generated code must not depend on.",
  },
  AZC4103: {
    severity: "error",
    message: "'{$sourceDescriptions.{name}.url}' names {kind} called url of source '{name}', not the source's url",
    fix: "A $sourceDescriptions expression matches operationIds and workflowIds before the source's fields: rename the operation or workflow called url in the description, or name the target by operationId.",
  },
  AZC4104: {
    severity: "warning",
    message: "{expression} is {structure}, embedded in the text of a body sent as {contentType}: it is sent as its JSON text",
    fix: "Embed the members you mean ({$inputs.order#/id}), pass text you have serialized yourself (an input or output holding it), or send the body as JSON (contentType application/json with a structured payload).",
  },
  AZC5001: {
    severity: "warning",
    message: "Step '{stepId}' is never run: no path from the first step reaches it",
    fix: "Reach it with a goto, move it, or remove it.",
  },
  AZC5002: {
    severity: "warning",
    message: "From step '{stepId}' no path leads to the end of the workflow (a loop with no exit)",
    fix: "Give the loop a goto or end action whose criteria eventually hold; at run time only maxSteps or timeoutMs stop it.",
  },

  // 6xxx: writing files
  AZC6001: {
    severity: "error",
    message: "Two documents compile to the same file {file}",
    fix: "Rename one of the documents or compile them into different folders.",
  },
  AZC6050: {
    severity: "warning",
    message:
      "Workflow {workflowId} would export a function named {name}, which makes the module thenable (awaiting its import never settles); it is exported as {renamed}",
    fix: "Rename the workflow, or import {renamed} from the generated module.",
  },
  AZC6051: {
    severity: "warning",
    message:
      "Workflow {workflowId} would export a function named {name}, which would hide the global {name} the generated code calls; it is exported as {renamed}",
    fix: "Rename the workflow, or import {renamed} from the generated module.",
  },

  // 625x: concurrent steps in the targets
  AZC6250: {
    severity: "error",
    message:
      "--durable restate does not journal concurrent steps yet: steps {steps} of workflow {workflowId} would run concurrently (stepConcurrency: concurrent)",
    fix: "Compile the Restate target with stepConcurrency sequential (the default), or compile the document without --durable restate.",
  },

  // 608x: what generated code does at run time
  AZC6080: {
    severity: "warning",
    message:
      "The regular expression '{text}' repeats a group that itself repeats: a crafted response can make it run for an exponential time",
    fix: "Write it without nested repetition (^\\d+$ rather than ^(\\d+)+$): a regular expression cannot be interrupted once it runs, not even by timeoutMs.",
  },

  // 7xxx: configuration, command line and the output folder
  AZC7000: {
    severity: "error",
    message: "Invalid config file: {reason}",
    fix: "Fix the syntax at this position: arazzoc.config.json is JSON (no comments, no trailing commas).",
  },
  AZC7001: {
    severity: "error",
    message: "Unknown config field '{field}'{suggestion}",
    fix: "Use one of the fields: {names}.",
  },
  AZC7002: {
    severity: "error",
    message: "Config field '{field}' must be {expected}",
    fix: "Write {expected} there, as docs/configuration.md describes.",
  },
  AZC7003: {
    severity: "error",
    message: "Cannot load the config file: {reason}",
    fix: "{hint}",
  },
  AZC7004: {
    severity: "error",
    message: "Cannot set the severity of {code}: {reason}",
    fix: "Only warnings can be turned off or made errors, and only codes of docs/diagnostics.md; an error is fixed at its cause.",
  },
  AZC7005: {
    severity: "error",
    message: "{file} is in the output folder but was not written by arazzoc; it is not overwritten",
    fix: "Move or delete the file, or compile into another folder.",
  },
  AZC7006: {
    severity: "error",
    message: "{file} in the output folder is a symbolic link; arazzoc does not write through links",
    fix: "Remove the link: arazzoc writes only regular files inside the output folder.",
  },
  AZC7007: {
    severity: "error",
    message: "The output folder {path} is a file",
    fix: "Name a folder with --out (or outDir in the config); it is created when it does not exist.",
  },
  AZC7008: {
    severity: "warning",
    message: "The module of this document is written as {module}: {reason}",
    fix: "Rename the document if its module should keep its name.",
  },
  AZC7010: {
    severity: "error",
    message: "Source mapping '{name}' names no source description of the documents compiled.{suggestion}",
    fix: "Map a source by the name or url of a sourceDescription; the documents have: {names}.",
  },

  // 7020-7039: arazzoc upgrade (1.0.x to 1.1.0); each is a hand fix the upgrade cannot make (docs/upgrade.md)
  AZC7020: {
    severity: "error",
    message: "Not an Arazzo 1.0.x document ({version}); upgrade rewrites 1.0.x documents to 1.1.0",
    fix: "Name Arazzo 1.0.x documents (arazzo: 1.0.0 or 1.0.1); a 1.1.x document needs no upgrade.",
  },
  AZC7021: {
    severity: "warning",
    message: "Regex condition '{text}' embeds a value: 1.0.x matched it as literal text, 1.1 splices it into the pattern",
    fix: "Check that the embedded value holds no regex characters (. * + ? ( ) [ ] etc.), or compare it with a simple condition (==) instead of a pattern.",
  },
  AZC7022: {
    severity: "warning",
    message: "JSONPath condition '{text}' embeds a value: arazzoc compares it as a value, but the 1.1 text splices it in as text, so other tools may read it differently",
    fix: "For other 1.1 tools, write quotes around the embedding when the value is a string ('{$inputs.name}') and none when it is a number or boolean; arazzoc compiles both forms the same.",
  },
  AZC7023: {
    severity: "warning",
    message: "A parameter value is an object: {reason}",
    fix: "Pass the object through an input (value: $inputs.name) or as a JSON string; 1.1 takes objects only as Selector Objects.",
  },
  AZC7024: {
    severity: "warning",
    message: "An expression form 1.1 no longer has: {reason}",
    fix: "Rewrite the expression in the 1.1 grammar (rename the id to letters, digits, - and _; name an output; use a $ref for inputs), then run arazzoc check.",
  },
  AZC7025: {
    severity: "warning",
    message: "The document does not check cleanly as 1.0.x ({count}); its bare expressions were not pinned",
    fix: "Fix what arazzoc check reports (or map its sources with --source), then run arazzoc upgrade again: the upgrade keeps the meaning arazzoc compiles.",
  },
} as const satisfies Record<string, CatalogueEntry>;

export type DiagnosticCode = keyof typeof catalogue;

export interface SourceRange {
  readonly line: number; // 1-based
  readonly column: number; // 1-based
  readonly endLine: number;
  readonly endColumn: number;
}

export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  readonly fix: string;
  /** File path as the user named it (relative to the working directory when inside it). */
  readonly file: string;
  /** JSON pointer of the node in the document, "" for the root. */
  readonly pointer: string;
  readonly range?: SourceRange;
  /** Other places the problem involves (the first declaration of a duplicate), when there are any. */
  readonly related?: readonly RelatedInformation[];
}

export interface RelatedInformation {
  readonly file: string;
  readonly range?: SourceRange;
  readonly message: string;
}

/** Fills a template's `{name}` placeholders; unknown placeholders stay as written. */
function fill(template: string, args: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in args ? escapeControls(String(args[key])) : whole));
}

/**
 * Control characters (C0, DEL, C1), line and paragraph separators and bidirectional overrides written as
 * escapes: text from a document reaches a terminal or a CI log only as visible characters, never as an
 * escape sequence that rewrites the screen or reorders what is shown.
 */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };
export function escapeControls(text: string): string {
  return text.replace(CONTROLS, (c) => {
    const code = c.charCodeAt(0);
    return NAMED[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`);
  });
}

export function makeDiagnostic(
  code: DiagnosticCode,
  args: Record<string, string | number>,
  where: { file: string; pointer: string; range?: SourceRange | undefined },
  related: readonly RelatedInformation[] = [],
): Diagnostic {
  const entry: CatalogueEntry = catalogue[code];
  return {
    code,
    severity: entry.severity,
    message: fill(entry.message, args),
    fix: fill(entry.fix, args),
    file: escapeControls(where.file),
    pointer: escapeControls(where.pointer),
    ...(where.range ? { range: where.range } : {}),
    ...(related.length > 0 ? { related } : {}),
  };
}

/** Collects diagnostics for one compilation. */
export class DiagnosticBag {
  readonly items: Diagnostic[] = [];
  add(diagnostic: Diagnostic): void {
    this.items.push(diagnostic);
  }
  get hasErrors(): boolean {
    return this.items.some((d) => d.severity === "error");
  }
}

/** Orders diagnostics by file, then position, then code, so output is stable. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      (a.range?.line ?? 0) - (b.range?.line ?? 0) ||
      (a.range?.column ?? 0) - (b.range?.column ?? 0) ||
      a.code.localeCompare(b.code),
  );
}

/**
 * `file:line:col - severity CODE: message`, a code frame when the text is at hand, each related place with its
 * own frame, the fix. `textOf` gives the text of a related place's file (default: `sourceText` for the same file).
 */
export function formatDiagnostic(d: Diagnostic, sourceText?: string, textOf?: (file: string) => string | undefined): string {
  const where = d.range ? `${d.file}:${d.range.line}:${d.range.column}` : d.file;
  // Diagnostics made elsewhere (or edited, as --strict does) are escaped again here: escaping is idempotent.
  const lines = [`${escapeControls(where)} - ${d.severity} ${d.code}: ${escapeControls(d.message)}`];
  if (d.range && sourceText !== undefined) lines.push(codeFrame(sourceText, d.range));
  for (const related of d.related ?? []) {
    const place = related.range ? `${related.file}:${related.range.line}:${related.range.column}` : related.file;
    lines.push(`  ${escapeControls(place)}: ${escapeControls(related.message)}`);
    const text = textOf?.(related.file) ?? (related.file === d.file ? sourceText : undefined);
    if (related.range && text !== undefined) lines.push(indentLines(codeFrame(text, related.range), "  "));
  }
  lines.push(`  fix: ${escapeControls(d.fix)}`);
  if (d.pointer) lines.push(`  at: #${escapeControls(d.pointer)}`);
  return lines.join("\n");
}

function indentLines(text: string, prefix: string): string {
  return text
    .split("\n")
    .map((line) => prefix + line)
    .join("\n");
}

function codeFrame(text: string, range: SourceRange): string {
  const all = text.split(/\r?\n/);
  const first = Math.max(1, range.line - 1);
  const last = Math.min(all.length, range.line + 1);
  const width = String(last).length;
  // A long line (minified JSON) is shown as a window around the column, not in full.
  const start = Math.max(0, range.column - 1 - FRAME_CONTEXT);
  const clip = (line: string): string =>
    (start > 0 ? "…" : "") + line.slice(start, start + 2 * FRAME_CONTEXT) + (line.length > start + 2 * FRAME_CONTEXT ? "…" : "");
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const raw = (all[n - 1] ?? "").replace(/\t/g, " ");
    out.push(`${n === range.line ? ">" : " "} ${String(n).padStart(width)} | ${escapeControls(clip(raw))}`);
    if (n === range.line) {
      // The caret sits under the escaped text, which is wider than the raw text where it has controls.
      const before = escapeControls((start > 0 ? "…" : "") + raw.slice(start, range.column - 1)).length;
      const endColumn = range.endLine === range.line ? Math.max(range.column + 1, range.endColumn) : range.column + 1;
      const span = escapeControls(raw.slice(range.column - 1, endColumn - 1)).length || 1;
      out.push(`  ${" ".repeat(width)} | ${" ".repeat(before)}${"^".repeat(Math.min(span, 80))}`);
    }
  }
  return out.join("\n");
}

/** Characters shown on each side of the column in a code frame. */
const FRAME_CONTEXT = 100;
