export const id = 19;
export const ids = [19];
export const modules = {

/***/ 6019:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  main: () => (/* binding */ main)
});

// UNUSED EXPORTS: EXIT, PLAN_JSON_SCHEMA, planJson, useColor

;// CONCATENATED MODULE: ./src/core/advice.ts
const ACTION_ADVICE = {
    setting: (name) => `'${name}: true'`,
    replan: 'Re-run the plan on the pull request (or the plan job) to review the new diff.'
};
const CLI_ADVICE = {
    setting: (name) => `--${name}`,
    replan: 'Run the plan again to review the new diff.'
};

// EXTERNAL MODULE: ./node_modules/@directus/sdk/dist/index.js + 20 modules
var dist = __webpack_require__(4997);
;// CONCATENATED MODULE: ./src/core/errors.ts
/**
 * Expected failures: a wrong input, a server that refuses, a refused apply.
 * Both shells (the action and the command line) report any ExpectedError in
 * one line without a stack trace; anything else is a bug and says so.
 */
class ExpectedError extends Error {
    name = 'ExpectedError';
}
/** The refusals and failures of apply, as the `failure-reason` output names them. */
const FAILURE_REASONS = (/* unused pure expression or super */ null && ([
    'target-changed',
    'plan-changed',
    'no-plan',
    'not-approved',
    'partial-review',
    'destructive-blocked',
    'lockout',
    'apply-failed',
    'partially-applied'
]));
/** An explained refusal or failure of apply: reported with its reason. */
class ApplyFailure extends ExpectedError {
    reason;
    name = 'ApplyFailure';
    constructor(reason, message) {
        super(message);
        this.reason = reason;
    }
}
/** A setting that cannot be used; the message names the input (the command line rewords it to name its flag). */
class errors_InputError extends ExpectedError {
    input;
    missingSecret;
    name = 'InputError';
    constructor(input, message, 
    /** True when the failure is only that a secret is empty: what a fork's pull request sees. */
    missingSecret = false) {
        super(message);
        this.input = input;
        this.missingSecret = missingSecret;
    }
}

;// CONCATENATED MODULE: ./src/http/describe.ts
/**
 * One line about an HTTP answer that was not the one asked for, shared by the
 * Directus and GitHub clients: the service's own error message when it sent
 * one, else what a proxy or load balancer put there. Never the whole body.
 */
function describeBody(statusText, contentTypeHeader, text, service = 'Directus') {
    const status = statusText || 'no reason given';
    const contentType = (contentTypeHeader ?? '').split(';')[0]?.trim() || 'no content type';
    if (contentType.includes('json')) {
        try {
            const json = JSON.parse(text);
            const message = json.errors?.[0]?.message ?? json.message;
            if (typeof message === 'string' && message.trim())
                return clip(message, 120);
        }
        catch {
            return `${status}, and the ${contentType} answer is not valid JSON`;
        }
    }
    if (contentType === 'text/html') {
        const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text)?.[1] ?? /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(text)?.[1];
        const shown = title ? clip(title.replace(/<[^>]*>/g, ' '), 120) : '';
        return `${status}, an HTML page${shown ? ` ("${shown}")` : ''} from a proxy or load balancer, not from ${service}`;
    }
    return `${status} (${contentType})`;
}
/** White space folded to single spaces, trimmed. */
function oneLine(text) {
    return text.replace(/\s+/g, ' ').trim();
}
/** oneLine, cut to `max` characters with an ellipsis. */
function clip(text, max) {
    const line = oneLine(text);
    return line.length > max ? `${line.slice(0, max)}…` : line;
}

// EXTERNAL MODULE: ./node_modules/undici/lib/dispatcher/env-http-proxy-agent.js
var env_http_proxy_agent = __webpack_require__(3137);
var env_http_proxy_agent_default = /*#__PURE__*/__webpack_require__.n(env_http_proxy_agent);
// EXTERNAL MODULE: ./node_modules/undici/lib/web/fetch/index.js
var fetch = __webpack_require__(4398);
var fetch_default = /*#__PURE__*/__webpack_require__.n(fetch);
;// CONCATENATED MODULE: ./src/http/undici.ts
/**
 * The two parts of undici this project uses, imported by path. undici's entry
 * point loads all of undici (mock agents, caches, WebSocket, EventSource, the
 * whole request API): over half a megabyte more to compile at every start,
 * before the first request. These are undici's own modules, the very ones its
 * entry point re-exports (a unit test checks that), at the paths of the exact
 * version package.json pins.
 */


/** undici's fetch, which takes a `dispatcher`; unlike the entry point's, it adds no stack frames to errors. */
const undici_fetch = (fetch_default()).fetch;
/** An agent that takes HTTP_PROXY, HTTPS_PROXY and NO_PROXY from the environment. */
const EnvHttpProxyAgent = (env_http_proxy_agent_default());

;// CONCATENATED MODULE: ./src/http/fetch.ts

/** How much of a body `head` keeps. */
const HEAD_BYTES = 64 * 1024;
/** Far above any real schema snapshot, well below what one JSON string in Node can hold (512 MiB). */
const DEFAULT_MAX_BODY_BYTES = 256 * 1024 * 1024;
/** An answer larger than the cap: not read. */
class BodyTooLargeError extends Error {
    maxBytes;
    status;
    name = 'BodyTooLargeError';
    constructor(maxBytes, status) {
        super(`the answer is larger than ${Math.round(maxBytes / 1024 / 1024)} MiB; not read`);
        this.maxBytes = maxBytes;
        this.status = status;
    }
}
async function fetchWhole(url, init, options) {
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    const response = await undici_fetch(url, { ...init, signal, dispatcher: options.dispatcher });
    const chunks = await readCapped(response, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
    return {
        head: firstBytes(chunks, HEAD_BYTES),
        response: new Response(nullBodyStatus(response.status) ? null : streamOf(chunks), {
            status: response.status,
            statusText: response.statusText,
            headers: response.headers
        })
    };
}
/** The body's chunks, read in full unless they grow past `maxBytes`. */
async function readCapped(response, maxBytes) {
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > maxBytes) {
        await response.body?.cancel();
        throw new BodyTooLargeError(maxBytes, response.status);
    }
    if (!response.body)
        return [];
    const chunks = [];
    let total = 0;
    for await (const chunk of response.body) {
        total += chunk.byteLength;
        if (total > maxBytes)
            throw new BodyTooLargeError(maxBytes, response.status); // leaving the loop cancels the stream
        chunks.push(chunk);
    }
    return chunks;
}
/** The chunks as a body stream, each handed over once and then let go. */
function streamOf(chunks) {
    let next = 0;
    return new ReadableStream({
        pull(controller) {
            const chunk = chunks[next];
            if (chunk === undefined) {
                controller.close();
                return;
            }
            chunks[next++] = EMPTY;
            controller.enqueue(chunk);
        }
    });
}
const EMPTY = new Uint8Array(0);
function firstBytes(chunks, maxBytes) {
    const head = new Uint8Array(Math.min(maxBytes, chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0)));
    let offset = 0;
    for (const chunk of chunks) {
        if (offset >= head.byteLength)
            break;
        const part = chunk.subarray(0, head.byteLength - offset);
        head.set(part, offset);
        offset += part.byteLength;
    }
    return head;
}
function nullBodyStatus(status) {
    return status === 204 || status === 205 || status === 304;
}

;// CONCATENATED MODULE: ./src/directus/transport.ts



/** A request that got no usable answer. `status` is set when the answer was a retryable HTTP status. */
class TransportError extends Error {
    kind;
    method;
    path;
    attempts;
    status;
    constructor(message, kind, method, path, attempts, status) {
        super(message);
        this.kind = kind;
        this.method = method;
        this.path = path;
        this.attempts = attempts;
        this.status = status;
        this.name = 'TransportError';
    }
}
const RETRYABLE_STATUSES = new Set([408, 429, 502, 503, 504]);
const RETRY_AFTER_CAP_MS = 60_000;
/**
 * The schema diff changes nothing on the server, so it is as safe to repeat as
 * a GET. Apply, login and everything else is sent exactly once.
 */
function isIdempotent(method, pathname) {
    if (method === 'GET' || method === 'HEAD')
        return true;
    return method === 'POST' && /\/schema\/diff$/.test(pathname);
}
function createTransport(options) {
    const dispatcher = new EnvHttpProxyAgent({ keepAliveTimeout: 1_000 });
    const maxAttempts = options.maxAttempts ?? 4;
    const budgetMs = options.budgetMs ?? options.timeoutMs * 3;
    const backoffMs = options.backoffMs ?? 500;
    const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    const log = options.log ?? (() => undefined);
    async function attempt(url, init, method, pathname) {
        try {
            return await fetchWhole(url, init, { dispatcher, timeoutMs: options.timeoutMs, maxBodyBytes });
        }
        catch (error) {
            if (!(error instanceof BodyTooLargeError))
                throw error;
            throw new TransportError(error.message, 'oversize', method, pathname, 1, error.status);
        }
    }
    const transportFetch = async (input, init = {}) => {
        const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
        const method = (init.method ?? 'GET').toUpperCase();
        const { pathname } = new URL(url);
        const retryable = isIdempotent(method, pathname);
        const started = Date.now();
        const elapsedSeconds = () => Math.round((Date.now() - started) / 1000);
        for (let attemptNumber = 1;; attemptNumber++) {
            const attemptStarted = Date.now();
            let failure;
            let retryAfter;
            try {
                const { response, head } = await attempt(url, init, method, pathname);
                log(`${method} ${pathname} -> ${response.status} in ${Date.now() - attemptStarted} ms (attempt ${attemptNumber})`);
                if (!retryable || !RETRYABLE_STATUSES.has(response.status))
                    return response;
                retryAfter = retryAfterMs(response.headers.get('retry-after'));
                failure = new TransportError(describeAnswer(response, head), 'http', method, pathname, attemptNumber, response.status);
            }
            catch (error) {
                failure = describeFailure(error, method, pathname, attemptNumber, options.timeoutMs);
                log(`${method} ${pathname} failed in ${Date.now() - attemptStarted} ms (attempt ${attemptNumber}): ${failure.message}`);
                if (!retryable || !isTransient(failure))
                    throw failure;
            }
            const giveUp = (why) => new TransportError(`${failure.message}; ${why}`, failure.kind, method, pathname, attemptNumber, failure.status);
            if (attemptNumber >= maxAttempts) {
                throw giveUp(`gave up after ${attempts(attemptNumber)} in ${elapsedSeconds()} s`);
            }
            if (retryAfter !== undefined && (retryAfter > RETRY_AFTER_CAP_MS || Date.now() - started + retryAfter > budgetMs)) {
                throw giveUp(`asked to retry after ${Math.ceil(retryAfter / 1000)} s, past the ${seconds(budgetMs)} s retry budget; gave up after ${attempts(attemptNumber)}`);
            }
            const delay = retryAfter ?? backoffMs * 2 ** (attemptNumber - 1) * (0.75 + Math.random() * 0.5);
            if (Date.now() - started + delay > budgetMs) {
                throw giveUp(`gave up after ${attempts(attemptNumber)} in ${elapsedSeconds()} s (retry budget ${seconds(budgetMs)} s)`);
            }
            log(`retrying ${method} ${pathname} in ${Math.round(delay)} ms${retryAfter === undefined ? '' : ' as Retry-After asks'}`);
            await sleep(delay);
        }
    };
    return {
        fetch: transportFetch,
        close: async () => {
            await dispatcher.destroy();
        }
    };
}
/**
 * One line on an answer that was not the one asked for: Directus' own error
 * message when it sent one, else what a proxy or load balancer put there.
 */
function describeAnswer(response, head) {
    const text = new TextDecoder().decode(head);
    return describeBody(response.statusText, response.headers.get('content-type'), text);
}
function attempts(count) {
    return `${count} attempt${count === 1 ? '' : 's'}`;
}
function seconds(ms) {
    return String(Math.round(ms / 100) / 10);
}
function retryAfterMs(header) {
    if (!header)
        return undefined;
    const seconds = Number(header);
    if (Number.isFinite(seconds) && seconds >= 0)
        return seconds * 1000;
    const date = Date.parse(header);
    return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
function describeFailure(error, method, path, attempts, timeoutMs) {
    if (error instanceof TransportError)
        return error;
    const name = error?.name;
    if (name === 'TimeoutError' || name === 'AbortError') {
        return new TransportError(`timed out after ${timeoutMs / 1000} s`, 'timeout', method, path, attempts);
    }
    const code = errorCode(error);
    if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') {
        return new TransportError(`connection reset (${code})`, 'reset', method, path, attempts);
    }
    if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'ETIMEDOUT') {
        return new TransportError(`timed out (${code})`, 'timeout', method, path, attempts);
    }
    const detail = code ? `${describeCode(code)} (${code})` : innermostMessage(error);
    return new TransportError(detail, 'connection', method, path, attempts);
}
function errorCode(error) {
    let current = error;
    for (let depth = 0; current && depth < 5; depth++) {
        const code = current.code;
        if (typeof code === 'string')
            return code;
        current = current.cause;
    }
    return undefined;
}
/** undici wraps the real cause ('bad port', a TLS error) in a bare 'fetch failed'. */
function innermostMessage(error) {
    let current = error;
    let message = String(error);
    for (let depth = 0; current && depth < 5; depth++) {
        if (current instanceof Error && current.message)
            message = current.message;
        current = current.cause;
    }
    return message;
}
/** Failures worth another attempt: the network or the server, not the request. */
function isTransient(failure) {
    if (failure.kind === 'oversize')
        return false;
    return failure.kind !== 'connection' || /\((ECONNREFUSED|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|UND_ERR_\w+)\)$/.test(failure.message);
}
function describeCode(code) {
    switch (code) {
        case 'ECONNREFUSED':
            return 'connection refused';
        case 'ENOTFOUND':
        case 'EAI_AGAIN':
            return 'host not found';
        case 'EHOSTUNREACH':
        case 'ENETUNREACH':
            return 'host unreachable';
        case 'CERT_HAS_EXPIRED':
        case 'DEPTH_ZERO_SELF_SIGNED_CERT':
        case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
            return 'TLS certificate rejected';
        default:
            return 'request failed';
    }
}
function sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

;// CONCATENATED MODULE: ./src/directus/client.ts




/** An expected failure talking to one Directus instance, phrased for one log line. */
class DirectusError extends ExpectedError {
    side;
    host;
    request;
    reason;
    status;
    code;
    transportKind;
    hint;
    name = 'DirectusError';
    constructor(side, host, request, reason, status, code, transportKind, 
    /** What to check, e.g. which input: shown last. */
    hint) {
        const answer = status === undefined ? 'got no answer' : `answered HTTP ${status}`;
        super(`${side} (${host}): ${request} ${answer}: ${reason}${code ? ` [${code}]` : ''}${hint ? `; ${hint}` : ''}`);
        this.side = side;
        this.host = host;
        this.request = request;
        this.reason = reason;
        this.status = status;
        this.code = code;
        this.transportKind = transportKind;
        this.hint = hint;
    }
}
/**
 * Connects with a static token, or logs in with email and password. Login
 * uses the SDK with auto-refresh off: its refresh timer would keep the
 * runner's Node process alive for about 15 minutes after the work is done.
 */
async function connect(instance, transport, maskSecret) {
    const host = instance.url.host;
    const base = (0,dist/* createDirectus */.ieq)(instance.url.href, { globals: { fetch: transport.fetch } }).with((0,dist/* rest */.zs8)());
    const send = async (client, spec) => {
        const command = () => ({
            method: spec.method,
            path: spec.path,
            params: spec.params ?? {},
            ...(spec.body === undefined ? {} : { body: spec.body }),
            headers: spec.body instanceof FormData ? { 'Content-Type': 'multipart/form-data' } : (spec.headers ?? {})
        });
        try {
            const result = await client.request(command);
            // The SDK hands back the raw Response when the content type is neither
            // JSON nor text, even for an error status.
            if (result instanceof Response) {
                const contentType = result.headers.get('content-type') ?? 'no content type';
                throw new DirectusError(instance.side, host, `${spec.method} ${spec.path}`, `unexpected answer (${contentType})`, result.status);
            }
            return result;
        }
        catch (error) {
            throw withCredentialHint(toDirectusError(error, instance.side, host, `${spec.method} ${spec.path}`), instance);
        }
    };
    if (instance.auth.kind === 'token') {
        const client = base.with((0,dist/* staticToken */.iyv)(instance.auth.token));
        return {
            side: instance.side,
            host,
            url: instance.url,
            send: (spec) => send(client, spec),
            close: async () => undefined
        };
    }
    const client = base.with((0,dist/* authentication */.jhO)('json', { autoRefresh: false }));
    try {
        const session = await client.login({ email: instance.auth.email, password: instance.auth.password });
        if (session.access_token)
            maskSecret(session.access_token);
        if (session.refresh_token)
            maskSecret(session.refresh_token);
    }
    catch (error) {
        throw withCredentialHint(toDirectusError(error, instance.side, host, 'POST /auth/login'), instance);
    }
    return {
        side: instance.side,
        host,
        url: instance.url,
        send: (spec) => send(client, spec),
        close: async () => {
            client.stopRefreshing();
            // Ending the session is hygiene, not a step the user depends on.
            await client.logout().catch(() => undefined);
        }
    };
}
/** For answers Directus would never give: the URL, not the request, is wrong. */
function notDirectusHint(side) {
    return `is '${side}-url' a Directus instance?`;
}
/** A 401 is about the credential inputs: the message says which to check. */
function withCredentialHint(error, instance) {
    if (error.status !== 401 || error.hint)
        return error;
    const inputs = instance.auth.kind === 'token' ? `'${instance.side}-token'` : `'${instance.side}-email' and '${instance.side}-password'`;
    return new DirectusError(error.side, error.host, error.request, error.reason, error.status, error.code, error.transportKind, `check ${inputs}`);
}
function toDirectusError(error, side, host, request) {
    if (error instanceof DirectusError)
        return error;
    if (error instanceof TransportError) {
        return new DirectusError(side, host, request, error.message, error.status, undefined, error.kind);
    }
    const { response, errors } = (error ?? {});
    if (response && typeof response.status === 'number') {
        const { reason, code, notDirectus } = describeErrors(errors, response);
        return new DirectusError(side, host, request, reason, response.status, code, 'http', notDirectus ? notDirectusHint(side) : undefined);
    }
    return new DirectusError(side, host, request, error?.message ?? String(error));
}
function describeErrors(errors, response) {
    if (Array.isArray(errors) && errors.length > 0) {
        const first = errors[0];
        const message = typeof first.message === 'string' ? first.message : JSON.stringify(first);
        const code = typeof first.extensions?.code === 'string' ? first.extensions.code : undefined;
        return { reason: oneLine(message), ...(code ? { code } : {}) };
    }
    const contentType = response.headers.get('content-type');
    // The SDK hands over the body text for HTML and plain text, the parse error
    // for broken JSON, and the whole object for JSON without `errors`.
    if (errors instanceof SyntaxError)
        return { reason: describeBody(response.statusText, contentType, '') };
    if (typeof errors === 'object' && errors !== null) {
        const message = errors.message;
        const shown = typeof message === 'string' && message.trim() ? `"${oneLine(message).slice(0, 120)}"` : response.statusText || 'an answer';
        return { reason: `${shown}, in a JSON shape Directus does not use`, notDirectus: true };
    }
    return { reason: describeBody(response.statusText, contentType, typeof errors === 'string' ? errors : '') };
}

;// CONCATENATED MODULE: ./src/directus/cache.ts
/**
 * Clears Directus' system cache (its cached schema among it). After an apply
 * that failed on MySQL/MariaDB, the changes committed before the failure are
 * in the database but not in the running instance's cached schema, so every
 * diff and snapshot would describe the schema as it was before; only this
 * request (`system=true`; the plain one is not enough) brings them into view.
 * Seen live on Directus 12.4.0 and 11.17.4 with MariaDB 10.11 (docs/mariadb.md).
 */
async function clearSystemCache(connection) {
    await connection.send({ method: 'POST', path: '/utils/cache/clear', params: { system: 'true' } });
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/directus/schema.ts


/** mirror: the target becomes the base, deletions included; merge: additive, Directus' `mode=merge` (12.2+). */
const DIFF_MODES = ['mirror', 'merge'];
/**
 * Directus' default MAX_PAYLOAD_SIZE is 1mb. Bodies above this go as a
 * multipart file upload, which the schema endpoints accept instead (capped by
 * IMPORT_MAX_FILE_SIZE from 12.2 on), as Directus' own CLI does.
 */
const JSON_BODY_LIMIT_BYTES = 512 * 1024;
async function readServerInfo(connection) {
    const info = await connection.send({ method: 'GET', path: '/server/info' });
    const version = info?.['version'] ?? info?.['directus']?.version;
    return typeof version === 'string' ? { version } : {};
}
/** The whole schema, or with a scope the partial snapshot Directus 12.2+ makes of those collections. */
async function takeSnapshot(connection, scope) {
    const params = scope ? { [scopeParameter(scope)]: scope.collections.join(',') } : {};
    const snapshot = await connection.send({ method: 'GET', path: '/schema/snapshot', params });
    if (!isSnapshot(snapshot))
        throw unexpectedAnswer(connection, 'GET /schema/snapshot', 'a Directus schema snapshot', snapshot);
    return snapshot;
}
function scopeParameter(scope) {
    return scope.kind === 'include' ? 'includeCollections' : 'excludeCollections';
}
/** Returns null when the target already matches (Directus answers 204). */
async function diffSnapshot(connection, snapshot, options) {
    // Before 12.2 a present `force` counts whatever its value, so false is never sent.
    const params = {
        ...(options.force ? { force: 'true' } : {}),
        ...(options.mode === 'merge' ? { mode: 'merge' } : {})
    };
    const result = await postDocument(connection, '/schema/diff', params, snapshot, 'snapshot');
    if (result === null || result === undefined || result === '')
        return null;
    if (!isDiffResponse(result))
        throw unexpectedAnswer(connection, 'POST /schema/diff', 'a Directus schema diff', result);
    return result;
}
async function applySchemaDiff(connection, payload) {
    const diff = { ...payload.diff, systemFields: payload.diff.systemFields ?? [] };
    await postDocument(connection, '/schema/apply', {}, { hash: payload.hash, diff }, 'diff');
}
/**
 * Posts a snapshot or diff as a JSON body when small, else as a file upload;
 * when the server refuses one form for its size, the other is tried. Either
 * refusal happens while the body is read, before Directus acts on it, so the
 * second try is safe even for apply. When both are refused, the error names
 * the limits and the size that was sent.
 */
async function postDocument(connection, path, params, document, what) {
    const json = JSON.stringify(document);
    const bytes = Buffer.byteLength(json);
    const forms = bytes <= JSON_BODY_LIMIT_BYTES ? ['json', 'upload'] : ['upload', 'json'];
    const refusals = {};
    for (const form of forms) {
        const spec = form === 'json' ? { method: 'POST', path, params, body: json } : { method: 'POST', path, params, ...schema_fileUpload(json, `${what}.json`) };
        try {
            return await connection.send(spec);
        }
        catch (error) {
            if (!isBodyTooLarge(error))
                throw error;
            refusals[form] = error;
        }
    }
    throw tooLargeError(connection, `POST ${path}`, what, bytes, refusals);
}
/**
 * A multipart/form-data body with one JSON file, encoded here: undici's fetch
 * does not recognise Node's global FormData (another class), and would send
 * it as the text "[object FormData]".
 */
function schema_fileUpload(json, fileName) {
    let boundary = `directus-schema-action-${(0,external_node_crypto_.randomUUID)()}`;
    while (json.includes(boundary))
        boundary = `directus-schema-action-${(0,external_node_crypto_.randomUUID)()}`;
    const body = `--${boundary}\r\n` +
        `Content-Disposition: form-data; name="file"; filename="${fileName}"\r\n` +
        'Content-Type: application/json\r\n\r\n' +
        `${json}\r\n--${boundary}--\r\n`;
    return { body, headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` } };
}
/**
 * A JSON body over MAX_PAYLOAD_SIZE: 400 "request entity too large".
 * An upload over IMPORT_MAX_FILE_SIZE (12.2+): 413 CONTENT_TOO_LARGE. A proxy's body limit: 413.
 */
function isBodyTooLarge(error) {
    return error instanceof DirectusError && (error.status === 413 || (error.status === 400 && /entity too large/i.test(error.reason)));
}
function tooLargeError(connection, request, what, bytes, refusals) {
    const last = refusals.upload ?? refusals.json;
    const reason = `the ${what} is ${formatBytes(bytes)} of JSON, too large for the ${connection.side} both as a file upload ` +
        `(IMPORT_MAX_FILE_SIZE, Directus' default 50mb: ${refusals.upload?.reason ?? 'refused'}) and as a JSON body ` +
        `(MAX_PAYLOAD_SIZE, default 1mb: ${refusals.json?.reason ?? 'refused'}). ` +
        `Raise IMPORT_MAX_FILE_SIZE (or MAX_PAYLOAD_SIZE) on the ${connection.side} to more than ${formatBytes(bytes)}, ` +
        `and the body size limit of any proxy in front of it`;
    return new DirectusError(connection.side, connection.host, request, reason, last?.status, last?.code);
}
function formatBytes(bytes) {
    const units = ['bytes', 'KiB', 'MiB', 'GiB'];
    let value = bytes;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
        value /= 1024;
        unit++;
    }
    return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit]} (${bytes} bytes)`;
}
/** Directus refuses a diff across versions or vendors unless forced; this reads its reason. */
function isVersionOrVendorMismatch(error) {
    return (error instanceof DirectusError &&
        error.status === 400 &&
        /(directus version .* does not match|vendor .* does not match|does not contain the "vendor")/i.test(error.reason));
}
/** The target's vendor, when Directus named it in a mismatch reason. */
function vendorNamedIn(reason) {
    return /current instance's vendor (\S+?)\.? /.exec(`${reason} `)?.[1];
}
/** A 200 answer of the wrong shape: the URL, not the request, is likely wrong. */
function unexpectedAnswer(connection, request, expected, value) {
    const reason = `the answer is not ${expected} (${shapeOf(value)})`;
    return new DirectusError(connection.side, connection.host, request, reason, 200, undefined, undefined, notDirectusHint(connection.side));
}
/** What came instead, in a few words: never the content itself. */
function shapeOf(value) {
    if (typeof value === 'string')
        return `${value.length} characters of text or HTML`;
    if (Array.isArray(value))
        return 'a JSON array';
    if (value === null || value === undefined)
        return 'an empty answer';
    return typeof value === 'object'
        ? `a JSON object with keys ${Object.keys(value).slice(0, 5).join(', ') || 'none'}`
        : `a JSON ${typeof value}`;
}
function isSnapshot(value) {
    const snapshot = value;
    return (typeof snapshot === 'object' &&
        snapshot !== null &&
        typeof snapshot.directus === 'string' &&
        Array.isArray(snapshot.collections) &&
        Array.isArray(snapshot.fields) &&
        Array.isArray(snapshot.relations));
}
function isDiffResponse(value) {
    const response = value;
    return (typeof response === 'object' &&
        response !== null &&
        typeof response.hash === 'string' &&
        typeof response.diff === 'object' &&
        response.diff !== null &&
        Array.isArray(response.diff.collections) &&
        Array.isArray(response.diff.fields) &&
        Array.isArray(response.diff.relations));
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
;// CONCATENATED MODULE: ./src/core/json.ts
/**
 * JSON helpers every layer may use; this module imports nothing.
 */
/** JSON with object keys sorted recursively (code-unit order); arrays keep their order. */
function json_canonicalJson(value) {
    // Fast path: native JSON.stringify, handing it each object with sorted keys.
    // JavaScript always enumerates integer-like keys ('2', '10') first in numeric
    // order, whatever the insertion order, so objects with such keys take the
    // slow path, which sorts purely by code units.
    try {
        return JSON.stringify(value, withSortedKeys) ?? 'null';
    }
    catch (error) {
        if (error !== HAS_INTEGER_KEYS)
            throw error;
        return canonicalJsonSlow(value);
    }
}
const HAS_INTEGER_KEYS = new Error('object with integer-like keys');
const INTEGER_KEY = /^(?:0|[1-9]\d*)$/;
function withSortedKeys(_key, value) {
    if (value === null || typeof value !== 'object' || Array.isArray(value))
        return value;
    const keys = Object.keys(value);
    let sorted = true;
    for (let index = 0; index < keys.length; index++) {
        const key = keys[index];
        if (INTEGER_KEY.test(key))
            throw HAS_INTEGER_KEYS;
        if (index > 0 && keys[index - 1] > key)
            sorted = false;
    }
    // Snapshots come with sorted keys already (Directus sorts them): no copy needed.
    if (sorted)
        return value;
    const record = value;
    const copy = {};
    for (const key of keys.sort())
        copy[key] = record[key];
    return copy;
}
function canonicalJsonSlow(value) {
    if (value === null || typeof value !== 'object')
        return JSON.stringify(value) ?? 'null';
    if (Array.isArray(value)) {
        // As in JSON.stringify: holes and undefined inside arrays become null.
        return `[${Array.from(value, (item) => (item === undefined ? 'null' : canonicalJsonSlow(item))).join(',')}]`;
    }
    const record = value;
    // The default sort compares UTF-16 code units: the same on every machine.
    const members = Object.keys(record)
        .sort()
        .filter((key) => record[key] !== undefined)
        .map((key) => `${JSON.stringify(key)}:${canonicalJsonSlow(record[key])}`);
    return `{${members.join(',')}}`;
}
/**
 * canonicalJson(value) in pieces, each item of a top-level list on its own:
 * for consumers that hash or compress a large document as it is made, and can
 * stop early. The pieces joined are exactly canonicalJson(value).
 */
function* json_canonicalJsonPieces(value) {
    if (!isPlainObject(value)) {
        yield json_canonicalJson(value);
        return;
    }
    yield '{';
    let first = true;
    // The default sort compares UTF-16 code units, as canonicalJson does.
    for (const key of Object.keys(value).sort()) {
        const member = value[key];
        if (member === undefined)
            continue;
        yield `${first ? '' : ','}${JSON.stringify(key)}:`;
        first = false;
        if (!Array.isArray(member)) {
            yield json_canonicalJson(member);
            continue;
        }
        yield '[';
        for (let index = 0; index < member.length; index++) {
            const item = member[index];
            yield `${index > 0 ? ',' : ''}${item === undefined ? 'null' : json_canonicalJson(item)}`;
        }
        yield ']';
    }
    yield '}';
}
/** Code-unit order: the same on every machine, unlike localeCompare. */
function compareStrings(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}
/** A JSON object: not null, not an array. */
function isPlainObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

;// CONCATENATED MODULE: ./src/directus/snapshot-file.ts
/**
 * Schema snapshots as committed files: read as the base of a plan
 * (`base-snapshot`), written by `command: snapshot`. Both formats Directus
 * produces are read: JSON or YAML, from `directus schema snapshot` (the bare
 * snapshot) or from GET /schema/snapshot (wrapped in `data`; `?export=yaml`).
 * Files are written with sorted keys, so re-exports give clean git diffs.
 */





function formatOf(path) {
    return /\.ya?ml$/i.test(path) ? 'yaml' : 'json';
}
/**
 * Bounds on a snapshot file, which may come from a fork's pull request: read as
 * data, never executed, and refused before it can exhaust memory or the stack.
 * A Directus snapshot nests about eight levels deep (fields → meta → options →
 * a filter's _and/_or); aliases appear only where js-yaml's dump (Directus' own
 * CLI) found one object twice. A YAML file is also bounded in nodes, counted
 * by the lexer before any parse tree is built: Directus' YAML spends about 8
 * bytes on each (scalars, item and value indicators), so 10 million fit a
 * 64 MiB snapshot, while `[1,1,1,…]` or `-\n-\n…` would make a node of every
 * one or two bytes, and each node costs far more memory than its bytes.
 */
const SNAPSHOT_LIMITS = { maxBytes: 64 * 1024 * 1024, maxDepth: 64, maxAliasCount: 100, maxYamlNodes: 10_000_000 };
async function readSnapshotFile({ path, file, content }, input = 'base-snapshot') {
    if (content !== undefined)
        return parseSnapshotText(content, formatOf(path), { input, path });
    let text;
    try {
        const size = (0,external_node_fs_.statSync)(file).size;
        if (size > SNAPSHOT_LIMITS.maxBytes)
            throw new errors_InputError(input, `Input '${input}': ${path} ${tooLarge(size)}`);
        text = (0,external_node_fs_.readFileSync)(file, 'utf8');
    }
    catch (error) {
        if (error instanceof errors_InputError)
            throw error;
        const code = error.code;
        const why = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? error.message})`;
        throw new errors_InputError(input, `Input '${input}': the file ${path} ${why}`);
    }
    return parseSnapshotText(text, formatOf(path), { input, path });
}
/** Errors name the input and the file it came from. */
async function parseSnapshotText(text, format, source, 
/** The node budget; smaller only in tests, which cannot afford to lex 10 million nodes. */
maxYamlNodes = SNAPSHOT_LIMITS.maxYamlNodes) {
    const where = `Input '${source.input}': ${source.path}`;
    const size = Buffer.byteLength(text);
    if (size > SNAPSHOT_LIMITS.maxBytes)
        throw new errors_InputError(source.input, `${where} ${tooLarge(size)}`);
    const yaml = format === 'yaml' ? await loadYaml() : undefined;
    let value;
    try {
        value = yaml ? parseBoundedYaml(yaml, text, maxYamlNodes) : JSON.parse(text);
    }
    catch (error) {
        const detail = error instanceof RangeError
            ? `nested too deeply (a snapshot nests about 8 levels; at most ${SNAPSHOT_LIMITS.maxDepth})`
            : (error.message ?? String(error)).split('\n')[0];
        throw new errors_InputError(source.input, `${where} is not valid ${format.toUpperCase()}: ${detail}`);
    }
    if (depthExceeds(value, SNAPSHOT_LIMITS.maxDepth)) {
        throw new errors_InputError(source.input, `${where} nests deeper than ${SNAPSHOT_LIMITS.maxDepth} levels, which no Directus schema snapshot does (it nests about 8)`);
    }
    const snapshot = unwrap(value);
    if (!snapshot) {
        throw new errors_InputError(source.input, `${where} is not a Directus schema snapshot: expected version, directus, collections, fields and relations, bare or under "data"`);
    }
    return snapshot;
}
function tooLarge(size) {
    const mib = (bytes) => `${Math.round(bytes / (1024 * 1024))} MiB`;
    return `is ${mib(size)}, larger than the ${mib(SNAPSHOT_LIMITS.maxBytes)} a schema snapshot file may be`;
}
/**
 * YAML as plain data: one document, the core schema (no custom tags, no
 * merge keys), aliases bounded, and the depth checked on the parse tree before
 * the (recursive) composer builds values from it.
 */
function parseBoundedYaml(yaml, text, maxNodes) {
    if (yamlNodesUpTo(yaml, text, maxNodes + 1) > maxNodes) {
        throw new Error(`it has more than ${maxNodes.toLocaleString('en-US')} YAML nodes, more than a 64 MiB Directus schema snapshot holds`);
    }
    const tokens = [...new yaml.Parser().parse(text)];
    for (const token of tokens) {
        if (token.type === 'document' && cstDepthExceeds(token, SNAPSHOT_LIMITS.maxDepth + 1)) {
            throw new Error(`it nests deeper than ${SNAPSHOT_LIMITS.maxDepth} levels, which no Directus schema snapshot does (it nests about 8)`);
        }
    }
    const options = { version: '1.2', schema: 'core', merge: false, uniqueKeys: true };
    const documents = [...new yaml.Composer(options).compose(tokens)];
    if (documents.length !== 1)
        throw new Error(`it holds ${documents.length} YAML documents; a snapshot is one`);
    const [document] = documents;
    const problem = document?.errors[0];
    if (problem)
        throw problem;
    return document?.toJS({ maxAliasCount: SNAPSHOT_LIMITS.maxAliasCount });
}
/** Lexer tokens that each make (or stand for) a node: a scalar, an alias, an item or value indicator, a flow collection. */
const NODE_TOKENS = new Set([
    'scalar',
    'single-quoted-scalar',
    'double-quoted-scalar',
    'block-scalar-header',
    'alias',
    'seq-item-ind',
    'map-value-ind',
    'explicit-key-ind',
    'flow-map-start',
    'flow-seq-start',
    'comma'
]);
/** The nodes of a YAML text, counted on the lexer's tokens as they stream by, up to `stopAt`. */
function yamlNodesUpTo(yaml, text, stopAt) {
    let nodes = 0;
    for (const token of new yaml.Lexer().lex(text)) {
        if (!NODE_TOKENS.has(yaml.CST.tokenType(token) ?? ''))
            continue;
        if (++nodes >= stopAt)
            break;
    }
    return nodes;
}
/** Nesting of collections in a YAML parse tree, walked without recursion. */
function cstDepthExceeds(document, maxDepth) {
    const pending = [{ token: document.value, depth: 0 }];
    while (pending.length > 0) {
        const { token, depth } = pending.pop();
        if (!token)
            continue;
        if (token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection') {
            if (depth + 1 > maxDepth)
                return true;
            for (const item of token.items) {
                pending.push({ token: item.key, depth: depth + 1 }, { token: item.value, depth: depth + 1 });
            }
        }
    }
    return false;
}
/** Nesting of a parsed value, walked without recursion (the code after parsing recurses). */
function depthExceeds(value, maxDepth) {
    const pending = [{ value, depth: 0 }];
    while (pending.length > 0) {
        const next = pending.pop();
        if (typeof next.value !== 'object' || next.value === null)
            continue;
        if (next.depth + 1 > maxDepth)
            return true;
        for (const child of Object.values(next.value))
            pending.push({ value: child, depth: next.depth + 1 });
    }
    return false;
}
/** GET /schema/snapshot answers `{ data: snapshot }`; the CLI writes the snapshot itself. */
function unwrap(value) {
    if (isSnapshot(value))
        return value;
    const data = value?.data;
    return isSnapshot(data) ? data : undefined;
}
/** The file's text: keys sorted at every level, lists in Directus' order, one trailing new line. */
async function formatSnapshot(snapshot, format) {
    const sorted = JSON.parse(json_canonicalJson(snapshot));
    if (format === 'json')
        return `${JSON.stringify(sorted, null, 2)}\n`;
    // YAML 1.1 quotes every string that an older reader (js-yaml, as in
    // `directus schema apply`) would take for a date or a boolean.
    return (await loadYaml()).stringify(sorted, { version: '1.1', sortMapEntries: true, lineWidth: 0 });
}
/** The YAML library is loaded only for YAML files: most runs never read or write one. */
function loadYaml() {
    return Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 8815, 19));
}
/** Writes the file; true when its content changed (or it is new). */
async function writeSnapshotFile({ path, file }, snapshot) {
    const text = await formatSnapshot(snapshot, formatOf(path));
    const before = (0,external_node_fs_.existsSync)(file) ? (0,external_node_fs_.readFileSync)(file, 'utf8') : undefined;
    if (before === text)
        return { file, changed: false };
    (0,external_node_fs_.mkdirSync)((0,external_node_path_.dirname)(file), { recursive: true });
    (0,external_node_fs_.writeFileSync)(file, text);
    return { file, changed: true };
}

;// CONCATENATED MODULE: ./src/directus/versions.ts
/**
 * What a Directus server of a given version understands. The version is read
 * once per run (GET /server/info) and decides what is sent: older servers
 * ignore query parameters they do not know, silently, so an unsupported input
 * is refused instead of being sent.
 */
/** The range this action is built and tested for (tested: 11.17.4 and 12.4.0). */
const OLDEST_SUPPORTED_MAJOR = 11;
const NEWEST_SUPPORTED_MAJOR = 12;
const SUPPORTED_RANGE = `${OLDEST_SUPPORTED_MAJOR}.x and ${NEWEST_SUPPORTED_MAJOR}.x`;
/** Partial snapshots (includeCollections/excludeCollections) and the diff's `mode` arrived together in 12.2. */
const SCOPE_AND_MODE_SINCE = { major: 12, minor: 2 };
function parseVersion(text) {
    const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(text?.trim() ?? '');
    if (!match)
        return undefined;
    return { text: text.trim(), major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) };
}
function isSupported(version) {
    return version.major >= OLDEST_SUPPORTED_MAJOR && version.major <= NEWEST_SUPPORTED_MAJOR;
}
function hasScopeAndMode(version) {
    if (!version)
        return false;
    return (version.major > SCOPE_AND_MODE_SINCE.major ||
        (version.major === SCOPE_AND_MODE_SINCE.major && version.minor >= SCOPE_AND_MODE_SINCE.minor));
}

;// CONCATENATED MODULE: ./src/core/compatibility.ts


class UnsupportedServerError extends ExpectedError {
    name = 'UnsupportedServerError';
}
/** An unknown version passes: Directus still checks the snapshot's version itself when diffing. */
function assertSupportedServer(side, host, versionText) {
    const version = parseVersion(versionText);
    if (!version || isSupported(version))
        return;
    throw new UnsupportedServerError(`${side} (${host}) runs Directus ${version.text}, which this action does not support: it supports Directus ${SUPPORTED_RANGE} ` +
        `(tested with 11.17.4 and 12.4.0). Nothing was sent to it.`);
}
function assertInputsHonoured(request, versions, sides = ['base', 'target']) {
    if (request.scope) {
        const input = scopeInput(request.scope);
        if (sides.includes('base') && !request.baseFile) {
            requireScopeAndMode(input, 'base', versions.base, 'ignore it and snapshot every collection');
        }
        if (sides.includes('target')) {
            requireScopeAndMode(input, 'target', versions.target, 'refuse the partial snapshot it makes');
        }
    }
    if (request.mode === 'merge' && sides.includes('target')) {
        requireScopeAndMode('diff-mode', 'target', versions.target, "ignore 'merge' and diff as mirror, deletions included. Use 'diff-mode: mirror' or upgrade the target");
    }
}
/** A committed snapshot may itself be partial (exported with includeCollections). */
function assertDiffable(snapshot, targetVersion, fromFile) {
    if (snapshot.version !== 2 || hasScopeAndMode(parseVersion(targetVersion)))
        return;
    const input = fromFile ? 'base-snapshot' : 'base-url';
    const target = targetVersion ? `runs Directus ${targetVersion}` : 'did not report its version (GET /server/info)';
    throw new errors_InputError(input, `The base snapshot is a partial snapshot (version 2, from Directus 12.2 or later), which the target cannot diff: it ${target}. ` +
        'Use a full snapshot or upgrade the target');
}
function scopeInput(scope) {
    return scope.kind === 'include' ? 'include-collections' : 'exclude-collections';
}
function requireScopeAndMode(input, side, versionText, consequence) {
    if (hasScopeAndMode(parseVersion(versionText)))
        return;
    throw new errors_InputError(input, `Input '${input}' needs Directus 12.2 or later on the ${side}; the ${side} ` +
        (versionText
            ? `runs Directus ${versionText}, which would ${consequence}`
            : `did not report its version (GET /server/info) and may ${consequence}`) +
        '. Nothing was sent');
}

;// CONCATENATED MODULE: ./src/core/base-snapshot.ts
/**
 * The base schema of a plan or apply: snapshotted from the base instance
 * (scoped by Directus itself), or read from a committed file (scoped here,
 * the way Directus scopes: by each item's collection).
 */



/** Snapshot version Directus gives a scoped (partial) snapshot: the diff then leaves other collections alone. */
const PARTIAL_SNAPSHOT_VERSION = 2;
async function loadBaseSnapshot(request, session) {
    assertInputsHonoured(request, session.versions);
    let snapshot;
    if (request.baseFile) {
        const file = await readSnapshotFile(request.baseFile);
        snapshot = request.scope ? scopeSnapshot(file, request.scope) : file;
    }
    else {
        if (!session.base)
            throw new Error('the session has no base connection');
        snapshot = await takeSnapshot(session.base, request.scope);
    }
    assertDiffable(snapshot, session.versions.target, request.baseFile !== undefined);
    return { snapshot, warnings: request.scope ? scopeWarnings(snapshot, request.scope) : [] };
}
/** As Directus' resolveScopedCollections + isInScope: names not present simply match nothing. */
function scopeSnapshot(snapshot, scope) {
    const names = new Set(scope.collections);
    const inScope = (item) => {
        const collection = item.collection;
        return typeof collection === 'string' && names.has(collection) === (scope.kind === 'include');
    };
    return {
        ...snapshot,
        version: PARTIAL_SNAPSHOT_VERSION,
        collections: snapshot.collections.filter(inScope),
        fields: snapshot.fields.filter(inScope),
        ...(snapshot.systemFields ? { systemFields: snapshot.systemFields.filter(inScope) } : {}),
        relations: snapshot.relations.filter(inScope)
    };
}
/**
 * What a scope can silently get wrong: an included name the base does not
 * have (Directus ignores it), and collections whose folder or related
 * collection is out of scope: on a target without those, Directus fails the
 * apply (seen live on 12.4: HTTP 500 for a missing folder).
 */
function scopeWarnings(snapshot, scope) {
    const collectionOf = (item) => item.collection;
    const present = new Set([...snapshot.collections, ...snapshot.fields, ...(snapshot.systemFields ?? [])].map(collectionOf));
    const warnings = [];
    const missing = scope.kind === 'include' ? scope.collections.filter((collection) => !present.has(collection)) : [];
    if (missing.length > 0) {
        warnings.push(`${scopeInput(scope)} names ${missing.length === 1 ? 'a collection' : 'collections'} the base does not have: ` +
            `${missing.join(', ')}. ${missing.length === 1 ? 'It is' : 'They are'} left out of this plan.`);
    }
    const outside = new Set();
    for (const collection of snapshot.collections) {
        const group = collection.meta?.group;
        if (typeof group === 'string' && !present.has(group))
            outside.add(group);
    }
    for (const relation of snapshot.relations) {
        const related = relation.related_collection;
        if (typeof related === 'string' && !related.startsWith('directus_') && !present.has(related))
            outside.add(related);
    }
    if (outside.size > 0) {
        const names = [...outside].sort().join(', ');
        warnings.push(`Collections in this scope sit in folders or relate to collections outside it: ${names}. ` +
            `If the target does not have ${outside.size === 1 ? 'it' : 'them'}, Directus fails the apply; add ${outside.size === 1 ? 'it' : 'them'} to the scope.`);
    }
    return warnings;
}

;// CONCATENATED MODULE: ./src/core/plan/digest.ts
/**
 * A fingerprint of a schema diff, so the apply step can prove it is about to
 * send exactly the diff a reviewer saw.
 *
 * What is left out, and why (from reading Directus' get-snapshot.js and
 * get-snapshot-diff.js):
 * - The `hash` Directus returns next to the diff is not part of the diff: it
 *   fingerprints the target's whole snapshot plus the Directus version, and it
 *   is checked by Directus itself on apply.
 * - The order of the collections/fields/systemFields/relations lists follows
 *   the target's `meta.id` sort order, an artefact of insertion history, so
 *   the lists are sorted by identity (collection, field), ties by content.
 * - Nothing inside an item is volatile: snapshots already omit `meta.id` from
 *   fields and relations, and collections have none. The order of the deep-diff
 *   entries inside an item is kept, because applying them is order dependent
 *   (array changes come highest index first).
 * - A missing `systemFields` list (Directus before 11) equals an empty one.
 * - undefined object properties are dropped, as JSON on the wire drops them.
 */


/** 'sha256:<hex>' of the diff's canonical form; independent of list order. */
function digest_diffDigest(diff) {
    // The canonical JSON of the sorted lists (keys in code-unit order), hashed
    // item by item as it is made: a 10 MB diff never exists a second time as
    // one string.
    const lists = [
        ['collections', diff.collections],
        ['fields', diff.fields],
        ['relations', diff.relations],
        ['systemFields', diff.systemFields ?? []]
    ];
    const hash = (0,external_node_crypto_.createHash)('sha256').update('{');
    lists.forEach(([key, items], index) => {
        hash.update(`${index > 0 ? ',' : ''}"${key}":[`);
        let first = true;
        for (const json of sortedCanonicalItems(items)) {
            hash.update(first ? json : `,${json}`);
            first = false;
        }
        hash.update(']');
    });
    return `sha256:${hash.update('}').digest('hex')}`;
}
/**
 * The items' canonical JSON in identity order (collection, then field), made
 * one at a time. Items of the same identity, such as the delete + create pair
 * Directus emits for a field turned into an alias, are ordered by their JSON,
 * so the order is total.
 */
function* sortedCanonicalItems(items) {
    const compareIdentity = (a, b) => compareStrings(a.collection, b.collection) || compareStrings(a.field ?? '', b.field ?? '');
    const sorted = [...items].sort(compareIdentity);
    for (let start = 0; start < sorted.length;) {
        let end = start + 1;
        while (end < sorted.length && compareIdentity(sorted[start], sorted[end]) === 0)
            end++;
        if (end - start === 1)
            yield json_canonicalJson(sorted[start]);
        else
            yield* sorted
                .slice(start, end)
                .map((item) => json_canonicalJson(item))
                .sort(compareStrings);
        start = end;
    }
}

;// CONCATENATED MODULE: ./src/core/plan/words.ts
/**
 * Sentences the plan says about a change, with the schema names in them kept
 * apart from our own words: each renderer escapes names its own way (Markdown
 * code, terminal-safe text), so a name can never break the sentence around it.
 */
/** The sentence as plain text, names in backticks: for logs, messages and the JSON plan. */
function plainWords(words) {
    return words.map((part) => (typeof part === 'string' ? part : `\`${part.code}\``)).join('');
}
const SIMPLE_KEY = /^[A-Za-z_$][\w$-]*$/;
/** ['meta', 'options', 'choices', 2] → 'meta.options.choices[2]'; odd keys are quoted: 'meta.translations["de-DE x"]'. */
function words_formatPath(path) {
    let text = '';
    for (const segment of path) {
        if (typeof segment === 'number')
            text += `[${segment}]`;
        else if (SIMPLE_KEY.test(segment))
            text += text === '' ? segment : `.${segment}`;
        else
            text += `[${JSON.stringify(segment)}]`;
    }
    return text;
}

;// CONCATENATED MODULE: ./src/core/plan/apply-rules.ts


class TargetViewNeeded extends Error {
    name = 'TargetViewNeeded';
}
function itemKey(collection, field) {
    return `${collection}\u0000${field ?? ''}`;
}
function targetViewOf(snapshot) {
    const collections = new Map();
    for (const item of snapshot.collections) {
        if (isPlainObject(item) && typeof item['collection'] === 'string') {
            collections.set(item['collection'], { folder: item['schema'] === null || item['schema'] === undefined });
        }
    }
    const fields = new Map();
    for (const item of snapshot.fields) {
        if (isPlainObject(item) && typeof item['collection'] === 'string' && typeof item['field'] === 'string') {
            fields.set(itemKey(item['collection'], item['field']), { alias: item['type'] === 'alias' || item['schema'] === null });
        }
    }
    const relations = new Set();
    for (const item of snapshot.relations) {
        if (isPlainObject(item) && typeof item['collection'] === 'string' && typeof item['field'] === 'string') {
            relations.add(itemKey(item['collection'], item['field']));
        }
    }
    return { collections, fields, relations };
}
/**
 * Whether reading this diff needs the target's schema: a new collection in a
 * folder the diff does not create (does the folder exist?), or a list that
 * deletes by a property outside `schema` (a table or a folder, a column or an
 * alias?). Directus' own answers never need it otherwise.
 */
function needsTargetView(diff) {
    const created = new Set(diff.collections.filter((item) => item.diff[0]?.kind === 'N').map((item) => item.collection));
    const inUnknownGroup = diff.collections.some((item) => {
        const group = groupOf(item.diff[0]);
        return group !== undefined && !created.has(group);
    });
    const deletesByProperty = (list, items) => items.some((item) => {
        const first = item.diff[0];
        return first?.kind === 'D' && hasPath(first) && first.path?.[0] !== 'schema' && !isNestedMetaPath(first, list);
    });
    return inUnknownGroup || deletesByProperty('collections', diff.collections) || deletesByProperty('fields', diff.fields);
}
/** The rule Directus applies to every item of the diff, in the diff's own order. */
function applyRules(diff, context = {}) {
    return new RuleReader(diff, context).read();
}
class RuleReader {
    diff;
    context;
    newCollections = new Map();
    creation = new Map();
    deletedCollections = new Set();
    deletedFields = new Set();
    constructor(diff, context) {
        this.diff = diff;
        this.context = context;
        for (const item of diff.collections) {
            const first = item.diff[0];
            if (first?.kind === 'N' && !this.newCollections.has(item.collection))
                this.newCollections.set(item.collection, first);
            if (first?.kind === 'D')
                this.deletedCollections.add(item.collection);
        }
    }
    read() {
        const collections = this.diff.collections.map((item, index) => this.collectionRule(item, index));
        const fields = this.diff.fields.map((item, index) => this.fieldRule(item, index));
        const systemFields = (this.diff.systemFields ?? []).map((item, index) => this.systemFieldRule(item, index));
        // Relations come last, after every field delete has dropped its relation lists.
        const relations = this.diff.relations.map((item, index) => this.relationRule(item, index));
        return [...collections, ...fields, ...systemFields, ...relations];
    }
    collectionRule(item, index) {
        const opened = this.opening('collections', 'collection', item, index);
        if ('decided' in opened)
            return opened.decided;
        const { rule, first } = opened;
        switch (first.kind) {
            case 'N': {
                if (first.rhs === null || first.rhs === undefined) {
                    // filterCollectionsForCreation reads diff[0].rhs.meta before anything is applied.
                    return this.failed(rule, 'create', [
                        'its first entry adds ',
                        ...pathWords(first),
                        ' with an empty value, and Directus reads the new collection from that value: the apply fails (500) and nothing is applied'
                    ]);
                }
                if (hasPath(first)) {
                    if (!first.rhs)
                        return this.misread(rule, {
                            kind: 'skip',
                            why: ['its first entry adds a property with an empty value, which Directus ignores']
                        });
                    return this.createdFromOneValue(rule, first, 'the whole collection', 'the apply fails and nothing is applied');
                }
                const creation = this.createdCollection(item.collection);
                if (creation === true)
                    return { ...rule, outcome: { kind: 'create' } };
                const hasFields = this.diff.fields.some((field) => field.collection === item.collection && field.diff[0]?.kind === 'N');
                return hasFields
                    ? this.failed(rule, 'create', [
                        'Directus does not create this collection, because ',
                        ...creation,
                        ', and then fails to create its fields: the apply fails (500) and nothing is applied'
                    ])
                    : this.misread(rule, { kind: 'skip', why: ['Directus does not create it, because ', ...creation] });
            }
            case 'D':
                return this.deleted(rule, first, 'collection');
            case 'E':
            case 'A':
                return this.edited(rule, this.context.target ? this.context.target.collections.has(item.collection) : true);
        }
    }
    fieldRule(item, index) {
        const opened = this.opening('fields', 'field', item, index);
        if ('decided' in opened)
            return opened.decided;
        const { rule, first } = opened;
        const collectionCreation = this.newCollections.has(item.collection) ? this.createdCollection(item.collection) : undefined;
        if (collectionCreation === true) {
            // Created with its collection, from the first entry's value whatever its kind.
            return rule.apparent === 'create'
                ? { ...rule, outcome: { kind: 'create' } }
                : this.failed(rule, 'create', [
                    'its collection is created with this list’s first entry as the field’s whole definition, which it is not: the apply fails'
                ]);
        }
        const nestedMeta = isNestedMetaPath(first, 'fields');
        if (first.kind === 'N' && !nestedMeta) {
            if (collectionCreation !== undefined) {
                return this.failed(rule, 'create', [
                    'its collection ',
                    { code: item.collection },
                    ' is not created, so creating the field fails (500) and nothing is applied'
                ]);
            }
            if (hasPath(first)) {
                return this.createdFromOneValue(rule, first, 'the whole field', 'the apply fails (500) and nothing is applied');
            }
            return { ...rule, outcome: { kind: 'create' } };
        }
        if (first.kind === 'D' && !nestedMeta) {
            this.deletedFields.add(itemKey(item.collection, item.field));
            return this.deleted(rule, first, 'field');
        }
        const exists = this.context.target ? this.context.target.fields.has(itemKey(item.collection, item.field)) : true;
        return this.edited(rule, exists);
    }
    systemFieldRule(item, index) {
        const rule = this.base('systemFields', 'systemField', item, index);
        const refused = payloadProblem(item.diff);
        if (refused)
            return this.failed(rule, rule.apparent, refused);
        if (item.diff[0]?.kind === 'E')
            return { ...rule, outcome: { kind: 'update' } };
        return this.misread(rule, {
            kind: 'skip',
            why: ['Directus applies only system-field lists that start with an edit (', { code: 'E' }, ')']
        });
    }
    relationRule(item, index) {
        const opened = this.opening('relations', 'relation', item, index);
        if ('decided' in opened)
            return opened.decided;
        const { rule, first } = opened;
        const key = itemKey(item.collection, item.field);
        if (this.deletedFields.has(key) && !item.diff.some((entry) => entry.kind === 'N')) {
            // Deleting the field deleted the relation; Directus then drops this list unapplied.
            const withField = { ...rule, outcome: { kind: 'delete' }, holdsData: true };
            return rule.apparent === 'delete'
                ? withField
                : {
                    ...withField,
                    because: [
                        'Directus deletes field ',
                        { code: `${item.collection}.${item.field ?? ''}` },
                        ' and this relation with it, then drops this relation’s own entries unapplied'
                    ]
                };
        }
        switch (first.kind) {
            case 'N':
                if (hasPath(first)) {
                    return this.createdFromOneValue(rule, first, 'a whole relation', 'it creates a broken relation with no related collection and no foreign key');
                }
                return { ...rule, outcome: { kind: 'create' } };
            case 'D': {
                const related = item.related_collection;
                if (typeof related === 'string' && this.deletedCollections.has(related) && this.context.vendor === 'postgres') {
                    return this.failed(rule, 'delete', [
                        'Directus deletes this relation together with collection ',
                        { code: related },
                        ', then fails to delete it a second time (400 “doesn’t have a relationship”), so on PostgreSQL the apply fails and nothing is applied. Delete field ',
                        { code: `${item.collection}.${item.field ?? ''}` },
                        ' in the base too, as Directus’ app does when it deletes a collection'
                    ]);
                }
                return this.deleted(rule, first, 'relation');
            }
            case 'E':
            case 'A':
                return this.edited(rule, this.context.target ? this.context.target.relations.has(key) : true);
        }
    }
    base(list, entity, item, index) {
        return {
            list,
            index,
            entity,
            collection: item.collection,
            ...(item.field !== undefined ? { field: item.field } : {}),
            ...(entity === 'relation' ? { relatedCollection: item.related_collection ?? null } : {}),
            entries: item.diff,
            apparent: apparentAction(item.diff)
        };
    }
    /** The start of every item's rule: a payload Directus refuses, or an empty list, decides it before its first entry is read. */
    opening(list, entity, item, index) {
        const rule = this.base(list, entity, item, index);
        const refused = payloadProblem(item.diff);
        if (refused)
            return { decided: this.failed(rule, rule.apparent, refused) };
        const first = item.diff[0];
        if (first === undefined)
            return { decided: { ...rule, outcome: { kind: 'skip', why: ['its list of entries is empty'] } } };
        return { rule, first };
    }
    failed(rule, attempts, why) {
        return this.misread(rule, { kind: 'fail', attempts, why });
    }
    /** The outcome, with `because` when it is not what the entries say (the outcome's own words say why). */
    misread(rule, outcome) {
        return { ...rule, outcome, ...(outcome.kind === 'skip' || outcome.kind === 'fail' ? { because: outcome.why } : {}) };
    }
    /** A create whose first entry carries a path: Directus creates the item from that one value alone. */
    createdFromOneValue(rule, first, what, consequence) {
        return this.misread({ ...rule, misreadFirstEntry: true }, {
            kind: 'fail',
            attempts: 'create',
            why: [
                'its diff starts by adding ',
                ...pathWords(first),
                `, and Directus reads that as creating ${what} from that one value: ${consequence}`
            ]
        });
    }
    edited(rule, exists) {
        if (exists)
            return { ...rule, outcome: { kind: 'update' } };
        return this.misread(rule, { kind: 'skip', why: ['the target has no such ', ENTITY_NAMES[rule.entity], ' to update'] });
    }
    deleted(rule, first, entity) {
        const holdsData = this.holdsData(rule, first, entity);
        const deleted = { ...rule, outcome: { kind: 'delete' }, ...(holdsData !== undefined ? { holdsData } : {}) };
        if (!hasPath(first))
            return deleted;
        return {
            ...deleted,
            misreadFirstEntry: true,
            because: ['its diff starts by removing ', ...pathWords(first), `, and Directus reads that as a ${ENTITY_NAMES[entity]} deletion`]
        };
    }
    holdsData(rule, first, entity) {
        if (entity === 'relation')
            return true;
        // The whole item removed: its lhs is the target's own definition.
        if (!hasPath(first))
            return holdsDataByDefinition(entity, first.lhs);
        // A property under `schema` existed on the target: it has a table or a column.
        if (first.path?.[0] === 'schema')
            return true;
        const target = this.context.target;
        if (!target)
            throw new TargetViewNeeded(`reading a delete of ${rule.collection} needs the target's schema`);
        if (entity === 'collection') {
            const collection = target.collections.get(rule.collection);
            return collection === undefined ? undefined : !collection.folder;
        }
        const field = target.fields.get(itemKey(rule.collection, rule.field));
        return field === undefined ? undefined : !field.alias;
    }
    /**
     * true when Directus creates the collection; otherwise why not. A new
     * collection in a folder is created only after its folder, and only when
     * that folder exists or is itself created in this apply.
     */
    createdCollection(name, visiting = new Set()) {
        const known = this.creation.get(name);
        if (known !== undefined)
            return known;
        const first = this.newCollections.get(name);
        let result;
        if (!first || !first.rhs || hasPath(first)) {
            result = ['collection ', { code: name }, ' is not created either'];
        }
        else {
            const group = groupOf(first);
            if (group === undefined) {
                result = true;
            }
            else if (this.newCollections.has(group)) {
                const parent = visiting.has(name) ? ['its folders contain each other'] : this.createdCollection(group, new Set([...visiting, name]));
                result = parent === true ? true : ['its folder ', { code: group }, ' is not created either'];
            }
            else {
                const target = this.context.target;
                if (!target)
                    throw new TargetViewNeeded(`whether folder ${group} exists is known only from the target's schema`);
                result = target.collections.has(group)
                    ? true
                    : ['its folder ', { code: group }, ' neither exists on the target nor is created by this plan'];
            }
        }
        this.creation.set(name, result);
        return result;
    }
}
const ENTITY_NAMES = {
    collection: 'collection',
    field: 'field',
    systemField: 'system field',
    relation: 'relation'
};
/** A whole item added or removed is a single entry without a path; anything else reads as an update. */
function apparentAction(entries) {
    const first = entries[0];
    if (entries.length === 1 && first !== undefined && !hasPath(first)) {
        if (first.kind === 'N')
            return 'create';
        if (first.kind === 'D')
            return 'delete';
    }
    return 'update';
}
function hasPath(entry) {
    return entry.path !== undefined && entry.path.length > 0;
}
/** Directus' isNestedMetaUpdate: for fields only, an N or D at `meta.<key>` is an update. */
function isNestedMetaPath(entry, list) {
    return list === 'fields' && (entry.kind === 'N' || entry.kind === 'D') && (entry.path?.length ?? 0) >= 2 && entry.path?.[0] === 'meta';
}
function groupOf(entry) {
    if (entry?.kind !== 'N' || !isPlainObject(entry.rhs))
        return undefined;
    const meta = entry.rhs['meta'];
    const group = isPlainObject(meta) ? meta['group'] : undefined;
    return typeof group === 'string' && group !== '' ? group : undefined;
}
function pathWords(entry) {
    return [{ code: words_formatPath(entry.path ?? []) }];
}
function holdsDataByDefinition(entity, definition) {
    if (!isPlainObject(definition))
        return undefined;
    // Folders have no table (schema null); aliases (o2m, m2m, presentation) have no column.
    if (definition['schema'] === null)
        return false;
    if (entity === 'field' && definition['type'] === 'alias')
        return false;
    return true;
}
/**
 * Directus validates the payload's shape before anything (validate-diff.js,
 * Joi): N and E entries need an rhs, D and E entries an lhs, A entries an
 * index and an item. JSON has no undefined, so such an entry reaches Directus
 * without the key and the whole apply is refused with 400.
 */
function payloadProblem(entries) {
    for (const entry of entries) {
        const missing = missingKey(entry);
        if (missing) {
            return [
                'its entry ',
                { code: `${entry.kind} ${words_formatPath(entry.path ?? []) || '(whole item)'}` },
                ` has no ${missing}, so Directus refuses the whole diff (400 “"${missing}" is required”) and nothing is applied`
            ];
        }
    }
    return undefined;
}
function missingKey(entry) {
    if ((entry.kind === 'N' || entry.kind === 'E') && entry.rhs === undefined)
        return 'rhs';
    if ((entry.kind === 'D' || entry.kind === 'E') && entry.lhs === undefined)
        return 'lhs';
    if (entry.kind === 'A') {
        if (entry.index === undefined)
            return 'index';
        if (entry.item === undefined)
            return 'item';
        return missingKey(entry.item);
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/core/plan/risks.ts
/**
 * Risk classes besides "destructive": changes that do not drop data by
 * themselves, but can make the apply fail on the rows the target has, change
 * what deleting a row does, or (on some databases) cut values. They are
 * marked and counted; they never block apply.
 */

const RISK_CLASS_WORDS = {
    'fails-on-existing-rows': 'may fail on existing rows',
    'changes-delete': 'changes what a delete does',
    'fails-or-truncates': 'can fail or truncate'
};
/**
 * The risks of one change Directus applies. `newCollections` are created by
 * the same plan: they hold no rows yet, so what they get risks nothing.
 */
function risksOf(change, vendor, newCollections) {
    if (newCollections.has(change.collection))
        return [];
    switch (change.entity) {
        case 'field':
            if (change.action === 'update')
                return fieldUpdateRisks(change.edits, vendor);
            if (change.action === 'create')
                return newFieldRisks(change.definition);
            return [];
        case 'relation':
            if (change.action === 'update')
                return relationUpdateRisks(change.edits);
            if (change.action === 'create')
                return newRelationRisks(change, newCollections);
            return [];
        default:
            return [];
    }
}
/** bigInteger → integer: the values stay integers, but a large one no longer fits. */
function narrowsInteger(edits) {
    return edits.some((edit) => edit.path === 'type' && edit.before === 'bigInteger' && edit.after === 'integer');
}
/** The new, shorter max_length of a string column that keeps its type, if the edits make one. */
function shortenedTo(edits) {
    if (edits.some((edit) => edit.path === 'type' && edit.before !== undefined && edit.after !== undefined && edit.before !== edit.after))
        return undefined;
    const edit = edits.find((candidate) => candidate.path === 'schema.max_length');
    if (edit === undefined || typeof edit.after !== 'number')
        return undefined;
    return edit.before === null || (typeof edit.before === 'number' && edit.after < edit.before) ? edit.after : undefined;
}
function shrinksPrecision(edits) {
    return edits.some((edit) => edit.path === 'schema.numeric_precision' &&
        typeof edit.before === 'number' &&
        typeof edit.after === 'number' &&
        edit.after < edit.before);
}
/**
 * What a database does, in Directus' apply, with a value that no longer
 * fits. Seen live on 12.4.0 and 11.17.4 (__tests__/e2e/apply-rules.test.ts):
 * PostgreSQL cuts strings to a shorter length silently and refuses numbers
 * out of range (400 VALUE_OUT_OF_RANGE); SQLite keeps both as they are. MySQL
 * and MariaDB refuse in strict mode and cut otherwise; Directus cannot tell
 * which mode the target runs in.
 */
function fitOnTarget(vendor) {
    switch (vendor) {
        case 'postgres':
            return { length: 'cut', number: 'refused' };
        case 'sqlite':
            return { length: 'kept', number: 'kept' };
        default:
            return { length: 'unknown', number: 'unknown' };
    }
}
function fieldUpdateRisks(edits, vendor) {
    const risks = [];
    const changesType = edits.some((edit) => edit.path === 'type' && edit.before !== undefined && edit.after !== undefined && edit.before !== edit.after);
    for (const { path, before, after } of edits) {
        if (path === 'schema.is_nullable' && before === true && after === false) {
            risks.push({ class: 'fails-on-existing-rows', what: ['adds NOT NULL'], stake: { kind: 'nulls' } });
        }
        else if (path === 'schema.is_unique' && before !== true && after === true) {
            risks.push({ class: 'fails-on-existing-rows', what: ['adds a unique constraint'], stake: { kind: 'duplicates' } });
        }
        else if (path === 'schema.foreign_key_table' && !isPresent(before) && typeof after === 'string') {
            risks.push({ class: 'fails-on-existing-rows', what: ['adds a foreign key to ', { code: after }] });
        }
        else if (path === 'schema.is_primary_key' && before !== after && before !== undefined && after !== undefined) {
            risks.push({
                class: 'fails-on-existing-rows',
                what: [after === true ? 'makes it the primary key' : 'removes it from the primary key']
            });
        }
        else if (path === 'schema.has_auto_increment' && before !== after && before !== undefined && after !== undefined) {
            risks.push({ class: 'fails-on-existing-rows', what: [after === true ? 'adds auto-increment' : 'removes auto-increment'] });
        }
        else if (path === 'schema.max_length' &&
            typeof after === 'number' &&
            !changesType &&
            (before === null || (typeof before === 'number' && after < before))) {
            const what = before === null ? `limits its length to ${after}` : `shortens its max length ${before} → ${after}`;
            risks.push({
                class: 'fails-or-truncates',
                what: [what],
                onTarget: lengthOnTarget(vendor),
                stake: { kind: 'longer', limit: after }
            });
        }
        else if (path === 'schema.numeric_precision' && typeof before === 'number' && typeof after === 'number' && after < before) {
            risks.push({
                class: 'fails-or-truncates',
                what: [`reduces numeric precision ${before} → ${after}`],
                onTarget: numberOnTarget(vendor)
            });
        }
    }
    if (narrowsInteger(edits)) {
        risks.push({ class: 'fails-or-truncates', what: ['narrows bigInteger → integer'], onTarget: numberOnTarget(vendor) });
    }
    return risks;
}
function newFieldRisks(definition) {
    if (!isPlainObject(definition) || !isPlainObject(definition['schema']))
        return [];
    const schema = definition['schema'];
    if (schema['is_nullable'] !== false || isPresent(schema['default_value']) || schema['is_primary_key'] === true)
        return [];
    return [{ class: 'fails-on-existing-rows', what: ['adds a NOT NULL column without a default'], stake: { kind: 'rows' } }];
}
function relationUpdateRisks(edits) {
    const risks = [];
    for (const { path, before, after } of edits) {
        if (path === 'schema.on_delete' && after === 'CASCADE' && before !== 'CASCADE') {
            risks.push({
                class: 'changes-delete',
                what: [`on delete ${describe(before)} → CASCADE: deleting the related row deletes these rows`]
            });
        }
        else if (path === 'meta.one_deselect_action' && after === 'delete' && before !== 'delete') {
            risks.push({ class: 'changes-delete', what: [`deselect action ${describe(before)} → delete: deselecting an item deletes it`] });
        }
    }
    return risks;
}
function newRelationRisks(change, newCollections) {
    const definition = isPlainObject(change.definition) ? change.definition : {};
    const schema = isPlainObject(definition['schema']) ? definition['schema'] : undefined;
    const meta = isPlainObject(definition['meta']) ? definition['meta'] : undefined;
    const related = change.relatedCollection;
    const risks = [];
    if (schema !== undefined && typeof related === 'string' && !newCollections.has(related)) {
        risks.push({ class: 'fails-on-existing-rows', what: ['adds a foreign key to ', { code: related }] });
    }
    if (schema?.['on_delete'] === 'CASCADE') {
        risks.push({ class: 'changes-delete', what: ['on delete CASCADE: deleting the related row deletes these rows'] });
    }
    if (meta?.['one_deselect_action'] === 'delete') {
        risks.push({ class: 'changes-delete', what: ['deselect action delete: deselecting an item deletes it'] });
    }
    return risks;
}
/** What this target's database does with a string longer than its new length. */
function lengthOnTarget(vendor) {
    switch (fitOnTarget(vendor).length) {
        case 'cut':
            return 'PostgreSQL cuts longer values to the new length, silently';
        case 'kept':
            return 'SQLite enforces no length: longer values stay as they are';
        case 'unknown':
            return vendor === 'mysql'
                ? MYSQL
                : `${UNKNOWN}: PostgreSQL cuts longer values, SQLite keeps them, MySQL refuses the apply in strict mode and cuts otherwise`;
    }
}
/** What this target's database does with a number that no longer fits. */
function numberOnTarget(vendor) {
    switch (fitOnTarget(vendor).number) {
        case 'refused':
            return 'PostgreSQL refuses the apply if a value does not fit; then nothing is applied';
        case 'kept':
            return 'SQLite enforces no size: the values stay as they are';
        case 'unknown':
            return vendor === 'mysql'
                ? MYSQL
                : `${UNKNOWN}: PostgreSQL refuses the apply, SQLite keeps the values, MySQL refuses in strict mode and cuts otherwise`;
    }
}
const MYSQL = 'MySQL and MariaDB refuse the apply in strict mode (their default); without it they cut values silently';
const UNKNOWN = 'what this database does is not known here';
function isPresent(value) {
    return value !== undefined && value !== null && value !== '';
}
function describe(value) {
    return typeof value === 'string' ? value : value === undefined ? 'unset' : JSON.stringify(value);
}

;// CONCATENATED MODULE: ./src/core/plan/destructive.ts

/**
 * Why the change drops data, or undefined when it does not. `holdsData` is
 * the apply model's answer for a delete (a table, a column); undefined means
 * nothing tells, and a missing definition cannot prove the item holds no
 * data: assume it does.
 */
function destruction(entity, action, edits, holdsData, vendor) {
    switch (action) {
        case 'create':
            return undefined;
        case 'delete':
            return holdsData === false ? undefined : deletion(entity);
        case 'update':
            return entity === 'field' ? fieldUpdate(edits, vendor) : undefined;
    }
}
/** Why the change drops data, as one line; undefined when it does not. */
function destructiveReason(entity, action, edits, holdsData, vendor) {
    return destruction(entity, action, edits, holdsData, vendor)?.reason;
}
function isDestructive(changes) {
    return changes.some((change) => change.destructive);
}
function deletion(entity) {
    switch (entity) {
        case 'collection':
            return { reason: 'drops the collection and all its rows', stake: { kind: 'rows' } };
        case 'field':
            return { reason: 'drops the column and its data', stake: { kind: 'values' } };
        case 'relation':
            return { reason: 'removes the relation and its foreign key' };
        case 'systemField':
            // Directus never deletes a system field (apply-rules.ts skips the list).
            return undefined;
    }
}
function fieldUpdate(edits, vendor) {
    const narrowing = narrowsInteger(edits);
    const reasons = edits.map((edit) => editReason(edit, narrowing)).filter((reason) => reason !== undefined);
    const limit = shortenedTo(edits);
    const fit = fitOnTarget(vendor);
    // A value that no longer fits is cut (PostgreSQL, seen live), refused, or kept (SQLite): only SQLite is known to keep it.
    if (limit !== undefined && fit.length !== 'kept')
        reasons.push(`${fit.length === 'cut' ? 'cuts' : 'may cut'} values longer than ${limit} characters`);
    if ((narrowing || shrinksPrecision(edits)) && fit.number === 'unknown')
        reasons.push('may cut numbers that no longer fit');
    if (reasons.length === 0)
        return undefined;
    const stake = reasons.length === 1 && limit !== undefined && fit.length !== 'kept' ? { kind: 'longer', limit } : { kind: 'values' };
    return { reason: [...new Set(reasons)].join('; '), stake };
}
function editReason({ path, before, after }, narrowing) {
    switch (path) {
        case 'type':
            return changed(before, after) && !narrowing ? `changes type ${show(before)} → ${show(after)}` : undefined;
        case 'schema.data_type':
            return changed(before, after) && !narrowing ? `changes column type ${show(before)} → ${show(after)}` : undefined;
        case 'schema':
            return typeof before === 'object' && before !== null && (after === null || after === undefined)
                ? 'drops the column (the field keeps no database column)'
                : undefined;
        case 'schema.numeric_scale':
            // Fewer decimals round the values that have more, silently.
            return shrinks(before, after) ? `reduces numeric scale ${show(before)} → ${show(after)}` : undefined;
        default:
            return undefined;
    }
}
function changed(before, after) {
    // A property appearing or vanishing is not a type change: Directus would
    // have sent a whole delete and create for the field instead.
    return before !== undefined && after !== undefined && before !== after;
}
function shrinks(before, after) {
    return typeof before === 'number' && typeof after === 'number' && after < before;
}
function show(value) {
    return typeof value === 'string' ? value : (JSON.stringify(value) ?? 'undefined');
}

;// CONCATENATED MODULE: ./src/core/plan/edits.ts


function editsOf(entry, basePath = []) {
    const path = [...basePath, ...(entry.path ?? [])];
    switch (entry.kind) {
        case 'N':
            return [{ path: words_formatPath(path), before: undefined, after: entry.rhs }];
        case 'D':
            return [{ path: words_formatPath(path), before: entry.lhs, after: undefined }];
        case 'E':
            // Directus 12 collapses any nested meta change into one edit of the whole
            // `meta` object; expanding it shows the reviewer only what differs.
            return leafEdits(path, entry.lhs, entry.rhs);
        case 'A':
            if (entry.item === undefined || entry.index === undefined)
                return [];
            return editsOf({ ...entry.item, path: [] }, [...path, entry.index]);
    }
}
/** The differing leaves of two values; objects and arrays are walked, anything else compared whole. */
function leafEdits(path, before, after) {
    if (isPlainObject(before) && isPlainObject(after)) {
        const keys = [...Object.keys(before), ...Object.keys(after).filter((key) => !Object.hasOwn(before, key))];
        return keys.flatMap((key) => leafEdits([...path, key], before[key], after[key]));
    }
    if (Array.isArray(before) && Array.isArray(after)) {
        const length = Math.max(before.length, after.length);
        const edits = [];
        for (let index = 0; index < length; index++) {
            edits.push(...leafEdits([...path, index], before[index], after[index]));
        }
        return edits;
    }
    return sameJson(before, after) ? [] : [{ path: words_formatPath(path), before, after }];
}
function sameJson(a, b) {
    return a === b || (typeof a === typeof b && JSON.stringify(a) === JSON.stringify(b));
}

;// CONCATENATED MODULE: ./src/core/wording.ts
/** '1 change', '3 changes': the one pluralisation rule of every message and report. */
function countOf(count, singular, plural = `${singular}s`) {
    return `${count} ${count === 1 ? singular : plural}`;
}

;// CONCATENATED MODULE: ./src/core/plan/residue.ts

/** Rules whose entries make the apply fail when sent: noise.ts removes them even from a list's first entry when it can. */
const FAILING_RESIDUE = [
    'mariadb-foreign-key-index',
    'mariadb-unsigned-foreign-key',
    'mariadb-uuid-key-unique'
];
function residueContextOf(snapshot, targetVendor) {
    const baseFields = new Map();
    for (const item of snapshot.fields) {
        if (!isPlainObject(item) || typeof item['collection'] !== 'string' || typeof item['field'] !== 'string')
            continue;
        const schema = isPlainObject(item['schema']) ? item['schema'] : {};
        baseFields.set(fieldKey(item['collection'], item['field']), {
            type: item['type'],
            dataType: schema['data_type'],
            isPrimaryKey: schema['is_primary_key'] === true,
            hasAutoIncrement: schema['has_auto_increment'] === true,
            isForeignKey: typeof schema['foreign_key_table'] === 'string'
        });
    }
    return {
        ...(snapshot.vendor ? { baseVendor: snapshot.vendor } : {}),
        ...(targetVendor ? { targetVendor } : {}),
        baseFields
    };
}
/** The rule that makes this property edit known residue of a MySQL/MariaDB target. `before` is the target's value, `after` the base's. */
function residueRuleOf({ entity, collection, field }, edit, context) {
    // Same vendor: MariaDB made both sides, so any difference is real.
    if (context.targetVendor !== 'mysql' || context.baseVendor === undefined || context.baseVendor === 'mysql')
        return undefined;
    if (entity === 'systemField') {
        return edit.path === 'schema.is_indexed' && edit.before === true && edit.after === false ? 'mariadb-foreign-key-index' : undefined;
    }
    const base = entity === 'field' && field !== undefined ? context.baseFields.get(fieldKey(collection, field)) : undefined;
    return base === undefined ? undefined : fieldRule(edit, base, context.baseVendor);
}
function fieldRule(edit, base, baseVendor) {
    const { path, before, after } = edit;
    switch (path) {
        case 'schema.is_indexed':
            return before === true && after === false && base.isForeignKey ? 'mariadb-foreign-key-index' : undefined;
        case 'schema.is_unique':
            return before === false && after === true && base.isPrimaryKey && base.type === 'uuid' ? 'mariadb-uuid-key-unique' : undefined;
        case 'schema.data_type':
            if (base.isForeignKey && before === 'int unsigned' && after === 'integer')
                return 'mariadb-unsigned-foreign-key';
            return isSpelling(before, after, base, baseVendor) ? 'mariadb-type-spelling' : undefined;
        case 'type':
            // A uuid stored as char(36) reads back as a string; a bigInteger auto-increment key as an integer.
            if (before === 'string' && after === 'uuid' && base.type === 'uuid')
                return 'mariadb-type-spelling';
            if (before === 'integer' && after === 'bigInteger' && base.isPrimaryKey && base.hasAutoIncrement)
                return 'mariadb-type-spelling';
            return undefined;
        case 'schema.max_length':
            return after === null && isReportedLength(before, base) ? 'mariadb-reported-size' : undefined;
        case 'schema.numeric_precision':
        case 'schema.numeric_scale':
            return isReportedNumber(path, before, after, base, baseVendor) ? 'mariadb-reported-size' : undefined;
        default:
            return undefined;
    }
}
/** [MariaDB's spelling, the base database's spelling], as each base vendor was seen to differ. */
const SPELLINGS = {
    postgres: [
        ['varchar', 'character varying'],
        ['int', 'integer'],
        ['float', 'real'],
        ['decimal', 'numeric'],
        ['time', 'time without time zone'],
        ['datetime', 'timestamp without time zone'],
        ['timestamp', 'timestamp with time zone'],
        ['longtext', 'json'],
        ['char', 'uuid']
    ],
    sqlite: [
        ['int', 'integer'],
        ['timestamp', 'datetime'],
        ['longtext', 'json']
    ]
};
function isSpelling(before, after, base, baseVendor) {
    const known = (SPELLINGS[baseVendor] ?? []).some(([target, source]) => before === target && after === source);
    if (!known)
        return false;
    if (after === 'uuid')
        return base.type === 'uuid';
    if (after === 'json')
        return base.type === 'json';
    return true;
}
/** Lengths MariaDB reports for types whose length the base database does not report. */
function isReportedLength(before, base) {
    return ((before === 65535 && base.dataType === 'text') ||
        (before === 4294967295 && base.type === 'json') ||
        (before === 36 && base.dataType === 'uuid'));
}
/**
 * SQLite reports no precision or scale at all; PostgreSQL none for booleans
 * and a real's scale, and integers' precision in bits (32, 64) where MariaDB
 * reports digits (10, 19).
 */
function isReportedNumber(path, before, after, base, baseVendor) {
    if (typeof before !== 'number')
        return false;
    if (after === null)
        return baseVendor === 'sqlite' || base.type === 'boolean' || base.type === 'float';
    if (baseVendor !== 'postgres' || path !== 'schema.numeric_precision')
        return false;
    return (before === 10 && after === 32 && base.type === 'integer') || (before === 19 && after === 64 && base.type === 'bigInteger');
}
/** What the report says of one rule's group; `items` is already counted, e.g. '53 system fields'. */
function residueWords(rule, items, context) {
    const base = context.baseVendor ?? 'the base database';
    switch (rule) {
        case 'mariadb-foreign-key-index':
            return [
                `${items}: `,
                { code: 'schema.is_indexed' },
                ' true → false. MariaDB keeps an index on every foreign-key column and Directus cannot drop it ' +
                    '(MariaDB refuses: "Cannot change column … used in a foreign key constraint"), so sending it would fail the apply part-way'
            ];
        case 'mariadb-unsigned-foreign-key':
            return [
                `${items}: `,
                { code: 'schema.data_type' },
                ' int unsigned → integer. Directus makes an integer foreign key unsigned on MariaDB to match its key, ' +
                    'and MariaDB refuses to change a column used in a foreign key constraint'
            ];
        case 'mariadb-uuid-key-unique':
            return [
                `${items}: `,
                { code: 'schema.is_unique' },
                ' false → true on a uuid primary key. MariaDB reports the key as not unique, and applying it fails ("Multiple primary key defined")'
            ];
        case 'mariadb-type-spelling':
            return [
                `${items}: the same column type as ${base} spelled the MariaDB way (varchar for character varying, longtext for json, ` +
                    'char(36) for uuid, …). Directus accepts the change and reports it again after every apply'
            ];
        case 'mariadb-reported-size':
            return [
                `${items}: a length, precision or scale that MariaDB reports and ${base} does not, or reports in bits ` +
                    '(text 65535, json 4294967295, boolean precision 3, integer precision 10 against 32). It comes back after every apply'
            ];
    }
}
function fieldKey(collection, field) {
    return `${collection}\u0000${field}`;
}

;// CONCATENATED MODULE: ./src/core/plan/noise.ts





/** `targetVendor`: the target's database vendor, when known; it decides the vendor residue rules. */
function noiseContextOf(snapshot, targetVendor) {
    const baseFields = new Map();
    for (const item of snapshot.fields) {
        if (!isPlainObject(item) || typeof item['collection'] !== 'string' || typeof item['field'] !== 'string')
            continue;
        const schema = isPlainObject(item['schema']) ? item['schema'] : {};
        const meta = isPlainObject(item['meta']) ? item['meta'] : {};
        baseFields.set(itemKey(item['collection'], item['field']), {
            type: item['type'],
            dataType: schema['data_type'],
            maxLength: schema['max_length'],
            special: meta['special']
        });
    }
    return {
        baseVersion: snapshot.directus,
        baseHasSystemFields: Array.isArray(snapshot.systemFields),
        baseFields,
        residue: residueContextOf(snapshot, targetVendor)
    };
}
/** The rule that makes this property edit noise, if one does. */
function noiseRuleOf(site, edit, context) {
    const rule = versionNoiseOf(site, edit, context);
    if (rule !== undefined || context.residue === undefined)
        return rule;
    return residueRuleOf(site, edit, context.residue);
}
function versionNoiseOf({ entity, collection, field }, edit, context) {
    const base = versionOf(context.baseVersion);
    switch (entity) {
        case 'field':
            if (edit.path === 'meta.searchable' && edit.after === undefined && base !== undefined && isBefore(base, SEARCHABLE_SINCE))
                return 'searchable';
            if (edit.path === 'schema.data_type' && isUuidResidue(edit, context.baseFields.get(itemKey(collection, field))))
                return 'uuid-residue';
            return undefined;
        case 'collection':
            return COLLECTION_KEYS_OF_12.includes(edit.path) && edit.after === undefined && base !== undefined && base.major < 12
                ? 'collection-meta-12'
                : undefined;
        case 'systemField':
            return edit.path === 'schema.is_indexed' &&
                edit.before === true &&
                edit.after === false &&
                !context.baseHasSystemFields &&
                base !== undefined &&
                isBefore(base, SEARCHABLE_SINCE)
                ? 'system-indexes'
                : undefined;
        case 'relation':
            return edit.path === 'schema.constraint_name' && edit.before !== undefined && edit.after !== undefined ? 'constraint-name' : undefined;
    }
}
/** The diff without its noise, and what was removed or left harmless, grouped by rule. */
function trimNoise(diff, context) {
    const touched = new Map();
    const note = (rule, entity, item) => {
        const key = `${entity}\u0000${rule}`;
        const group = touched.get(key) ?? { rule, entity, items: new Set() };
        group.items.add(item);
        touched.set(key, group);
    };
    const trimList = (entity, items) => items.flatMap((item) => {
        const label = item.field === undefined ? item.collection : `${item.collection}.${item.field}`;
        const rules = item.diff.map((entry) => entryNoise({ entity, collection: item.collection, field: item.field }, entry, context));
        for (const entryRules of rules)
            for (const rule of entryRules.rules)
                note(rule, entity, label);
        if (rules.every((entryRules) => entryRules.noise))
            return [];
        const kept = item.diff.filter((_entry, index) => index === 0 || !rules[index]?.noise);
        // A first entry MariaDB would refuse goes too, when the entry then first decides the same.
        const first = rules[0];
        const next = kept[1];
        if (first?.noise && first.rules.some((rule) => FAILING_RESIDUE.includes(rule)) && next) {
            if (decision(entity, next) === decision(entity, item.diff[0]))
                return [{ ...item, diff: kept.slice(1) }];
        }
        return [kept.length === item.diff.length ? item : { ...item, diff: kept }];
    });
    const trimmed = {
        collections: trimList('collection', diff.collections),
        fields: trimList('field', diff.fields),
        ...(diff.systemFields !== undefined ? { systemFields: trimList('systemField', diff.systemFields) } : {}),
        relations: trimList('relation', diff.relations)
    };
    const noise = [...touched.values()].map(({ rule, entity, items }) => ({
        rule,
        entity,
        items: [...items],
        words: groupWords(rule, entity, items.size, context)
    }));
    return { diff: trimmed, noise };
}
/** What Directus does with a list when this entry is first: create, update or delete (Directus' applyDiff, isNestedMetaUpdate). */
function decision(entity, entry) {
    const nestedMeta = entity === 'field' && (entry.kind === 'N' || entry.kind === 'D') && (entry.path?.length ?? 0) >= 2 && entry.path?.[0] === 'meta';
    if (entry.kind === 'E' || entry.kind === 'A' || nestedMeta)
        return 'update';
    return entry.kind === 'N' ? 'create' : 'delete';
}
/** Whether the diff has anything left to apply. */
function isEmptyDiff(diff) {
    return diff.collections.length + diff.fields.length + (diff.systemFields?.length ?? 0) + diff.relations.length === 0;
}
function entryNoise(site, entry, context) {
    const rules = editsOf(entry).map((edit) => noiseRuleOf(site, edit, context));
    const found = rules.filter((rule) => rule !== undefined);
    return { noise: rules.length > 0 && found.length === rules.length, rules: found };
}
const SEARCHABLE_SINCE = { major: 11, minor: 13, patch: 0 };
const COLLECTION_KEYS_OF_12 = ['meta.status', 'meta.autosave_revision_interval'];
function isUuidResidue(edit, base) {
    if (edit.after !== 'char' || (edit.before !== 'varchar' && edit.before !== 'character varying') || base === undefined)
        return false;
    const special = Array.isArray(base.special) ? base.special : [];
    return base.type === 'string' && base.dataType === 'char' && base.maxLength === 36 && !special.includes('uuid');
}
function groupWords(rule, entity, count, context) {
    const items = countOf(count, ENTITY_WORDS[entity][0], ENTITY_WORDS[entity][1]);
    const base = `the base’s Directus ${context.baseVersion ?? '(unknown version)'}`;
    switch (rule) {
        case 'mariadb-foreign-key-index':
        case 'mariadb-unsigned-foreign-key':
        case 'mariadb-uuid-key-unique':
        case 'mariadb-type-spelling':
        case 'mariadb-reported-size':
            return residueWords(rule, items, context.residue ?? { baseFields: new Map() });
        case 'searchable':
            return [`${items}: `, { code: 'meta.searchable' }, ` is unknown to ${base}; the target keeps its value`];
        case 'collection-meta-12':
            return [
                `${items}: `,
                { code: 'meta.status' },
                ' and ',
                { code: 'meta.autosave_revision_interval' },
                ` are unknown to ${base}; the target keeps their values`
            ];
        case 'system-indexes':
            return [
                `${items}: the snapshot of ${base} has no `,
                { code: 'systemFields' },
                ', so Directus would drop their indexes; the target keeps them'
            ];
        case 'constraint-name':
            return [
                `${items}: `,
                { code: 'schema.constraint_name' },
                ' differs, but Directus never renames a foreign key; the target keeps its name'
            ];
        case 'uuid-residue':
            return [
                `${items}: `,
                { code: 'schema.data_type' },
                ' char of a uuid field without ',
                { code: 'meta.special: ["uuid"]' },
                ': Directus creates such a field as varchar(36) whatever the diff says; the target keeps it'
            ];
    }
}
const ENTITY_WORDS = {
    collection: ['collection', 'collections'],
    field: ['field', 'fields'],
    systemField: ['system field', 'system fields'],
    relation: ['relation', 'relations']
};
function versionOf(text) {
    const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(text?.trim() ?? '');
    return match ? { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) } : undefined;
}
function isBefore(version, since) {
    if (version.major !== since.major)
        return version.major < since.major;
    if (version.minor !== since.minor)
        return version.minor < since.minor;
    return version.patch < since.patch;
}

;// CONCATENATED MODULE: ./src/core/plan/changes.ts







/** Order of entity kinds inside one collection's group. */
const ENTITY_ORDER = ['collection', 'field', 'systemField', 'relation'];
/**
 * Delete before update before create: when Directus turns a field into or out
 * of an alias it emits a delete and a create for the same field, and applies
 * them in that order.
 */
const ACTION_ORDER = ['delete', 'update', 'create'];
/** What Directus will do with every item of the diff, sorted for review. */
function readDiff(diff, context = {}) {
    const rules = applyRules(diff, context);
    const newCollections = new Set(rules.filter((rule) => rule.entity === 'collection' && rule.outcome.kind === 'create').map((rule) => rule.collection));
    const changes = [];
    const skipped = [];
    for (const rule of rules) {
        if (rule.outcome.kind === 'skip') {
            if (rule.entries.length > 0)
                skipped.push({ ...identityOf(rule), why: rule.outcome.why });
            continue;
        }
        changes.push(changeOf(rule, context, newCollections));
    }
    // Array.prototype.sort is stable, so equal keys keep Directus' own order.
    return { changes: changes.sort(compareChanges), skipped };
}
/** The changes alone, as Directus will apply them. */
function describeChanges(diff, context = {}) {
    return readDiff(diff, context).changes;
}
function identityOf(rule) {
    return {
        entity: rule.entity,
        collection: rule.collection,
        ...(rule.field !== undefined ? { field: rule.field } : {}),
        ...(rule.entity === 'relation' ? { relatedCollection: rule.relatedCollection ?? null } : {})
    };
}
function changeOf(rule, context, newCollections) {
    const action = rule.outcome.kind === 'fail' ? rule.outcome.attempts : rule.outcome.kind;
    const first = rule.entries[0];
    const whole = rule.apparent !== 'update' && first !== undefined;
    const definition = whole ? (first.kind === 'N' ? first.rhs : first.lhs) : undefined;
    const edits = whole ? [] : rule.entries.flatMap((entry) => editsOf(entry)).filter((edit) => !isNoise(rule, edit, context));
    const failing = rule.outcome.kind === 'fail';
    const destroys = failing ? undefined : destruction(rule.entity, action, edits, rule.holdsData, context.vendor);
    const folder = rule.entity === 'collection' ? isFolder(action, definition, rule.holdsData) : undefined;
    const change = {
        ...identityOf(rule),
        action,
        edits,
        ...(whole ? { definition } : {}),
        ...(folder !== undefined ? { folder } : {}),
        destructive: destroys !== undefined,
        ...(destroys ? { destructiveReason: destroys.reason } : {}),
        risks: failing ? [] : risksOf({ ...identityOf(rule), action, edits, definition }, context.vendor, newCollections)
    };
    if (rule.outcome.kind === 'fail')
        change.failure = rule.outcome.why;
    else if (rule.because)
        change.warning = warningOf(rule, change);
    const stakes = questionsOf(change, destroys?.stake);
    if (stakes.length > 0)
        change.stakes = stakes.map((question) => ({ question }));
    return change;
}
function isNoise(rule, edit, context) {
    return context.noise !== undefined && noiseRuleOf(rule, edit, context.noise) !== undefined;
}
/** A new collection without a `schema` key is a folder too: Directus creates no table for it. */
function isFolder(action, definition, holdsData) {
    if (action === 'delete')
        return holdsData === undefined ? undefined : !holdsData;
    if (typeof definition !== 'object' || definition === null)
        return undefined;
    const schema = definition.schema;
    return schema === null || schema === undefined;
}
function warningOf(rule, change) {
    const subject = [`${changes_ENTITY_WORDS[rule.entity]} `, { code: subjectName(change) }];
    const headline = change.action === 'delete'
        ? ['Directus will DELETE ', ...subject, ...deletedWhat(change)]
        : ['Directus will ', change.action.toUpperCase(), ' ', ...subject, '.'];
    const detail = [
        ...capitalise(rule.because ?? []),
        '.',
        ...(rule.misreadFirstEntry ? [' This usually means the base snapshot comes from another Directus version or was edited by hand.'] : [])
    ];
    return { headline, detail };
}
function deletedWhat(change) {
    if (change.entity === 'collection')
        return [change.destructive ? ' and all its rows.' : ' (a folder: no data is lost).'];
    if (change.entity === 'field')
        return [change.destructive ? ' and its data.' : ' (an alias without a column: no data is lost).'];
    return ['.'];
}
function capitalise(words) {
    const [first, ...rest] = words;
    return typeof first === 'string' ? [first.charAt(0).toUpperCase() + first.slice(1), ...rest] : words;
}
function questionsOf(change, destroyed) {
    const questions = [...(destroyed ? [destroyed] : []), ...change.risks.flatMap((risk) => (risk.stake ? [risk.stake] : []))];
    return questions.filter((question, index) => questions.findIndex((other) => other.kind === question.kind) === index);
}
function compareChanges(a, b) {
    return (compareStrings(a.collection, b.collection) ||
        ENTITY_ORDER.indexOf(a.entity) - ENTITY_ORDER.indexOf(b.entity) ||
        compareStrings(a.field ?? '', b.field ?? '') ||
        ACTION_ORDER.indexOf(a.action) - ACTION_ORDER.indexOf(b.action));
}
const ENTITY_LABELS = {
    collection: ['collection', 'collections'],
    field: ['field', 'fields'],
    systemField: ['system field', 'system fields'],
    relation: ['relation', 'relations']
};
const ACTION_SIGNS = { create: '+', update: '~', delete: '-' };
const SUMMARY_ACTION_ORDER = ['create', 'update', 'delete'];
/** '+1 collection, +4 fields, ~1 field, -1 relation' or 'no changes'. Failing changes are counted as what they attempt. */
function summarizeChanges(changes) {
    const parts = [];
    for (const entity of ENTITY_ORDER) {
        for (const action of SUMMARY_ACTION_ORDER) {
            const count = changes.filter((change) => change.entity === entity && change.action === action).length;
            if (count === 0)
                continue;
            const [singular, plural] = ENTITY_LABELS[entity];
            parts.push(`${ACTION_SIGNS[action]}${count} ${count === 1 ? singular : plural}`);
        }
    }
    return parts.length === 0 ? 'no changes' : parts.join(', ');
}
/** 'articles.author -> directus_users'; a relation without a fixed target (o2m side, m2a) points to '(any)'. */
function relationLabel(collection, field, related) {
    return `${collection}.${field} -> ${related ?? '(any)'}`;
}
const changes_ENTITY_WORDS = {
    collection: 'collection',
    field: 'field',
    systemField: 'system field',
    relation: 'relation'
};
/**
 * What a change touches, unformatted: within its collection's section the
 * collection is implied ('title'); on its own it is named ('articles.title').
 * Undefined for the collection itself within its section.
 */
function changeSubject(change, scope) {
    if (change.entity === 'collection')
        return scope === 'standalone' ? change.collection : undefined;
    if (change.entity === 'relation')
        return relationLabel(change.collection, change.field ?? '', change.relatedCollection);
    return scope === 'standalone' ? `${change.collection}.${change.field ?? ''}` : (change.field ?? '');
}
function subjectName(change) {
    return changeSubject(change, 'standalone') ?? change.collection;
}
/** The changes that cannot succeed: while there is one, apply refuses the plan. */
function failingChanges(changes) {
    return changes.filter((change) => change.failure !== undefined);
}
/**
 * The changes that cannot succeed for a reason of their own: a field that
 * fails only because its new collection is not created is said with the
 * collection.
 */
function rootFailures(changes) {
    const failing = failingChanges(changes);
    const collections = new Set(failing.filter((change) => change.entity === 'collection').map((change) => change.collection));
    return failing.filter((change) => change.entity === 'collection' || !collections.has(change.collection));
}
/** Changes with a risk besides "destructive". */
function riskyChanges(changes) {
    return changes.filter((change) => change.risks.length > 0);
}

;// CONCATENATED MODULE: ./src/core/guard/reviewed-plan.ts






/**
 * Returns the diff to apply and its changes, or throws the refusal. The
 * reviewed diff is read with `reading` (by default the current plan's: the
 * hash being the same, so is the target); apply-rules.ts decides what
 * Directus will do with it.
 */
function checkReviewedPlan(plan, current, policy, reading) {
    const advice = policy.advice ?? ACTION_ADVICE;
    const currentHash = current.kind === 'changes' ? current.hash : null;
    if (currentHash !== plan.hash) {
        throw new ApplyFailure('target-changed', `The target schema changed since the plan was reviewed (reviewed hash ${plan.hash}, now ${currentHash}). ` +
            `Nothing was applied. ${advice.replan}`);
    }
    const diff = reviewedDiff(plan, current, advice);
    const changes = current.kind === 'changes' && diff === current.diff
        ? current.changes
        : readDiff(diff, reading ?? (current.kind === 'changes' ? current.reading : {})).changes;
    const failing = rootFailures(changes);
    if (failing.length > 0) {
        throw new ApplyFailure('apply-failed', `Directus cannot apply the reviewed diff as it was reviewed: ${describeFailures(failing)}. Nothing was applied. ` +
            `Fix the base schema (see the plan), then ${advice.replan.charAt(0).toLowerCase()}${advice.replan.slice(1)}`);
    }
    if (isDestructive(changes) && !policy.allowDestructive) {
        throw new ApplyFailure('destructive-blocked', `The reviewed diff drops data (${describeDestructive(changes)}). Nothing was applied. ` +
            `Set ${advice.setting('allow-destructive')} to apply it.`);
    }
    return { diff, changes };
}
/** Whether the reviewed plan changes the schema: a plan of configuration alone has an empty hash. */
function hasSchemaPart(plan) {
    return plan.hash !== '';
}
/** A plan pinned by a dispatch's plan job (expected-hash and expected-digest), or none. */
function pinnedPlan(expectedHash, expectedDigest) {
    if (!expectedHash && expectedDigest) {
        throw new ApplyFailure('no-plan', `'expected-digest' pins the diff but not the target it was planned against; also pass 'expected-hash: \${{ needs.plan.outputs.hash }}'. Nothing was applied.`);
    }
    if (!expectedHash)
        return undefined;
    if (!expectedDigest) {
        throw new ApplyFailure('no-plan', `'expected-hash' pins the target but not the diff; also pass 'expected-digest: \${{ needs.plan.outputs.digest }}'. Nothing was applied.`);
    }
    return { hash: expectedHash, digest: expectedDigest };
}
/** A run without a reviewed plan (`require-plan: false`) still keeps Directus' hash check. */
function unreviewedPlan(policy, current) {
    if (policy.unplannedPullRequest !== undefined) {
        throw new ApplyFailure('no-plan', `Pull request #${policy.unplannedPullRequest} was merged without a reviewed plan for target '${policy.targetName}' ` +
            `(no plan comment of this token, or one whose plan found nothing to change), but the target now differs from the base (${current.summary}). ` +
            "Nothing was applied. 'require-plan: false' covers only pushes without a pull request, never a merged one: " +
            'plan and review the change in a new pull request.');
    }
    if (policy.requirePlan) {
        throw new ApplyFailure('no-plan', `No reviewed plan for target '${policy.targetName}'. Nothing was applied. Open a pull request so the plan is reviewed, ` +
            `pass 'expected-hash' and 'expected-digest' from a plan job, or set 'require-plan: false' to apply without review.`);
    }
    return { hash: current.hash, digest: current.digest, diff: current.diff };
}
/** Exactly the reviewed diff: carried with the plan, or reproduced with the same digest. */
function reviewedDiff(plan, current, advice) {
    if (plan.diff)
        return plan.diff;
    if (current.kind === 'changes' && current.digest === plan.digest)
        return current.diff;
    // A plan sealed before noise was left out pinned Directus' whole answer: that is what was reviewed.
    if (current.kind === 'changes' && current.untrimmed && digest_diffDigest(current.untrimmed) === plan.digest)
        return current.untrimmed;
    const now = current.kind === 'changes' ? current.digest : 'none';
    throw new ApplyFailure('plan-changed', `The diff now (${current.summary}, digest ${now}) is not the reviewed one (digest ${plan.digest}), ` +
        `and the reviewed diff is not stored with the plan. Nothing was applied. ${advice.replan}`);
}
/**
 * Directus' own check of the diff against the target (validateApplyDiff), made
 * before anything is applied. "Field … already exists" from the fields
 * service, mid-apply, is not one of them: that is an apply failure.
 */
function isHashRefusal(error) {
    return (error.status === 400 &&
        /(hash does not match|Provided diff is trying to \w+ .* but it (already exists|does not exist))/i.test(error.reason));
}
/** 'articles.body: drops the column and its data; tags: …' */
function describeDestructive(changes) {
    return changes
        .filter((change) => change.destructive)
        .map((change) => `${changeSubject(change, 'standalone') ?? change.collection}: ${change.destructiveReason ?? change.action}`)
        .join('; ');
}
/** 'field `articles.body`: its diff starts by adding …' */
function describeFailures(changes) {
    return changes
        .map((change) => `${change.entity === 'systemField' ? 'system field' : change.entity} ${changeSubject(change, 'standalone') ?? change.collection}: ${plainWords(change.failure ?? [])}`)
        .join('; ');
}

;// CONCATENATED MODULE: ./src/core/guard/verify.ts

/**
 * Compares the reviewed changes with a later diff's, both as the apply model
 * reads them (apply-rules.ts). A reviewed change is pending when the later
 * diff still asks for the same thing: a create as a create, a delete as a
 * delete, an update's property with the same value it was to get but from
 * another one. A reviewed update that the later diff asks to create or
 * delete is pending too: the item went missing or came back. A property
 * Directus re-emits exactly as reviewed (the same before and after) is
 * residue: Directus accepted it and keeps answering it, so no apply can make
 * it go away (docs/directus-apply-rules.md, section 5).
 */
function verifyAgainst(reviewed, later, options = {}) {
    const pending = new Set();
    const explained = new Set();
    for (const change of reviewed) {
        for (const other of later) {
            if (identity(change) !== identity(other))
                continue;
            if (stillAsks(change, other, options.reemittedIsPending === true)) {
                pending.add(change);
                explained.add(other);
            }
        }
    }
    return { pending: [...pending], remaining: later.filter((change) => !explained.has(change)) };
}
function stillAsks(reviewed, later, reemittedIsPending) {
    if (reviewed.action !== 'update')
        return reviewed.action === later.action;
    if (later.action !== 'update')
        return true;
    return reviewed.edits.some((edit) => later.edits.some((other) => other.path === edit.path && sameValue(other.after, edit.after) && (reemittedIsPending || !sameValue(other.before, edit.before))));
}
/** Equal JSON values; absent (undefined) equals only absent. */
function sameValue(a, b) {
    return a === undefined || b === undefined ? a === b : json_canonicalJson(a) === json_canonicalJson(b);
}
function identity(change) {
    return `${change.entity}\u0000${change.collection}\u0000${change.field ?? ''}`;
}

;// CONCATENATED MODULE: ./src/core/partial-apply.ts



/** Databases whose schema statements commit one by one, so a failed apply is not rolled back. */
const NON_TRANSACTIONAL_VENDORS = ['mysql'];
function isNonTransactional(vendor) {
    return vendor !== undefined && NON_TRANSACTIONAL_VENDORS.includes(vendor);
}
/** Directus failed the apply after changing the target: what reached it, what did not, and its hash now. */
class PartialApplyFailure extends ApplyFailure {
    applied;
    pending;
    targetHash;
    name = 'PartialApplyFailure';
    constructor(message, applied, pending, targetHash) {
        super('partially-applied', message);
        this.applied = applied;
        this.pending = pending;
        this.targetHash = targetHash;
    }
}
/** At most this many changes are named per list; the rest are counted. */
const NAMES_SHOWN = 10;
/**
 * The failure, from the reviewed changes and those a fresh diff (taken after
 * clearing Directus' cached schema) still asks for.
 */
function partialApplyFailure(error, reviewed, pending, targetHash, vendor, advice = ACTION_ADVICE) {
    const pendingKeys = new Set(pending.map(changeKey));
    const applied = reviewed.filter((change) => !pendingKeys.has(changeKey(change)));
    const why = isNonTransactional(vendor)
        ? 'MySQL and MariaDB commit each schema change as it runs, so Directus could not roll back what it had done before the failure'
        : 'the target changed although Directus reported a failure';
    const message = `Directus failed the apply part-way: ${error.message}. ${why}. ` +
        `Applied: ${listed(applied)}. Not applied: ${listed([...pending])}. ` +
        `The target's schema hash is now ${targetHash}, so the reviewed plan no longer applies. ` +
        `Fix the cause above, then plan again from the target's new state: ${advice.replan}`;
    return new PartialApplyFailure(message, applied, [...pending], targetHash);
}
/** '+1 collection, +2 fields (pa_new, pa_new.id, pa_new.name)' */
function listed(changes) {
    if (changes.length === 0)
        return 'nothing';
    const names = changes.slice(0, NAMES_SHOWN).map((change) => changeSubject(change, 'standalone') ?? change.collection);
    const more = changes.length - names.length;
    return `${summarizeChanges([...changes])} (${names.join(', ')}${more > 0 ? ` and ${more} more` : ''})`;
}
function changeKey(change) {
    return `${change.entity}\u0000${change.collection}\u0000${change.field ?? ''}`;
}

;// CONCATENATED MODULE: ./src/directus/items.ts
/**
 * One aggregate query. In one query `count` holds either `*` (a number) or
 * fields (an object): Directus replaces the one with the other, so rows next
 * to field counts come from countDistinct of the primary key.
 */
async function aggregateCounts(connection, query) {
    const params = {};
    if (query.count && query.count.length > 0)
        params['aggregate[count]'] = query.count.join(',');
    if (query.countDistinct && query.countDistinct.length > 0)
        params['aggregate[countDistinct]'] = query.countDistinct.join(',');
    if (query.filter)
        params[`filter[${query.filter.field}][${query.filter.operator}]`] = query.filter.value;
    const data = await connection.send({ method: 'GET', path: `/items/${encodeURIComponent(query.collection)}`, params });
    return parseAggregate(data);
}
/** `[{count: 12}]`, `[{count: {name: 11}, countDistinct: {id: 12}}]`; PostgreSQL gives the numbers as strings. */
function parseAggregate(data) {
    const row = Array.isArray(data) ? data[0] : undefined;
    if (row === undefined || typeof row !== 'object' || row === null)
        throw new Error('the answer is not an aggregate');
    const answer = { count: {}, countDistinct: {} };
    const count = row['count'];
    if (count !== undefined && (typeof count !== 'object' || count === null))
        answer.rows = toCount(count);
    else if (count)
        answer.count = toCounts(count);
    if (row['countDistinct'])
        answer.countDistinct = toCounts(row['countDistinct']);
    return answer;
}
function toCounts(value) {
    if (typeof value !== 'object' || value === null)
        throw new Error('the answer is not an aggregate');
    return Object.fromEntries(Object.entries(value).map(([field, count]) => [field, toCount(count)]));
}
function toCount(value) {
    const count = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
    if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0)
        throw new Error(`the count ${JSON.stringify(value)} is not a number`);
    return count;
}

;// CONCATENATED MODULE: ./src/core/plan/stakes.ts
/** System collections are not served by /items (Directus answers 403): their counts stay unknown. */
function isSystemCollection(collection) {
    return collection.startsWith('directus_');
}
/** The queries for every stake of these changes, collection by collection, in the changes' order. */
function planCounts(changes, primaryKeys) {
    const byCollection = new Map();
    changes.forEach((change, changeIndex) => {
        change.stakes?.forEach((_stake, stakeIndex) => {
            if (isSystemCollection(change.collection))
                return;
            const list = byCollection.get(change.collection) ?? [];
            list.push({ ref: { change: changeIndex, stake: stakeIndex }, change });
            byCollection.set(change.collection, list);
        });
    });
    const planned = [...byCollection].map(([collection, wanted]) => queriesFor(collection, wanted, primaryKeys.get(collection)));
    return { queries: planned.flatMap((plan) => plan.queries), unanswerable: planned.flatMap((plan) => plan.unanswerable) };
}
function queriesFor(collection, wanted, primaryKey) {
    const count = new Set();
    const countDistinct = new Set();
    const fieldReads = [];
    const rowRefs = [];
    const nulls = [];
    const filtered = [];
    const unanswerable = [];
    for (const { ref, change } of wanted) {
        const question = change.stakes?.[ref.stake]?.question;
        const field = change.field;
        if (question === undefined)
            continue;
        if (question.kind === 'rows') {
            rowRefs.push(ref);
            continue;
        }
        if (field === undefined)
            continue;
        switch (question.kind) {
            case 'values':
                count.add(field);
                fieldReads.push({ ref, read: (answer) => stakes_valueOf(answer.count, field) });
                break;
            case 'nulls':
                nulls.push({ ref, field });
                break;
            case 'duplicates':
                count.add(field);
                countDistinct.add(field);
                fieldReads.push({ ref, read: (answer) => stakes_valueOf(answer.count, field) - stakes_valueOf(answer.countDistinct, field) });
                break;
            case 'longer':
                filtered.push({
                    query: { collection, count: ['*'], filter: { field, operator: '_starts_with', value: '_'.repeat(question.limit + 1) } },
                    reads: [{ ref, read: rowsOf }]
                });
                break;
        }
    }
    const queries = [];
    const fieldCounts = count.size + countDistinct.size + nulls.length > 0;
    if (fieldCounts && primaryKey !== undefined && rowRefs.length + nulls.length > 0) {
        // One query for everything: the rows are the distinct primary keys.
        for (const { field } of nulls)
            count.add(field);
        const rows = (answer) => stakes_valueOf(answer.countDistinct, primaryKey);
        queries.push({
            query: { collection, count: [...count], countDistinct: [...countDistinct, primaryKey] },
            reads: [
                ...rowRefs.map((ref) => ({ ref, read: rows })),
                ...nulls.map(({ ref, field }) => ({ ref, read: (answer) => rows(answer) - stakes_valueOf(answer.count, field) })),
                ...fieldReads
            ]
        });
    }
    else {
        if (rowRefs.length > 0)
            queries.push({ query: { collection, count: ['*'] }, reads: rowRefs.map((ref) => ({ ref, read: rowsOf })) });
        if (count.size + countDistinct.size > 0)
            queries.push({ query: { collection, count: [...count], countDistinct: [...countDistinct] }, reads: fieldReads });
        // Rows next to field counts need the primary key (Directus drops `count=*` beside `count=<field>`).
        for (const { ref } of nulls)
            unanswerable.push(ref);
    }
    return { queries: [...queries, ...filtered], unanswerable };
}
function rowsOf(answer) {
    if (answer.rows === undefined)
        throw new Error('the answer has no row count');
    return answer.rows;
}
function stakes_valueOf(counts, field) {
    const value = counts[field];
    if (value === undefined)
        throw new Error(`the answer has no count of ${field}`);
    return value;
}

;// CONCATENATED MODULE: ./src/core/counts.ts
/**
 * Counts, on the target, what the destructive and risky changes of a plan
 * touch (the queries are planned in plan/stakes.ts). A count never fails the
 * plan: a query that fails, times out, or is not sent because the cap or the
 * time budget is spent leaves its counts "unknown", with the reason.
 */




/** Most count queries one plan sends. */
const MAX_COUNT_QUERIES = 20;
/** Whether any change has something to count. */
function hasStakes(changes) {
    return changes.some((change) => (change.stakes?.length ?? 0) > 0);
}
/** The changes with their stakes counted, or marked unknown. */
async function countStakes(target, changes, primaryKeys, options) {
    const results = new Map();
    const settle = (ref, result) => results.set(`${ref.change}:${ref.stake}`, result);
    const { queries, unanswerable } = planCounts(changes, primaryKeys);
    for (const ref of unanswerable)
        settle(ref, { unknown: 'the primary key of the collection is unknown' });
    const maxQueries = options.maxQueries ?? MAX_COUNT_QUERIES;
    const deadline = Date.now() + options.budgetMs;
    let sent = 0;
    let stopped;
    // A timer may fire a little before Date.now() reaches the deadline: a query cut by it ends the budget too.
    let timedOut = false;
    for (const { query, reads } of queries) {
        if (stopped === undefined && sent >= maxQueries)
            stopped = `after ${sent} queries, the most one plan sends`;
        if (stopped === undefined && (timedOut || Date.now() >= deadline))
            stopped = `after ${Math.round(options.budgetMs / 1000)} s, the time counting may take`;
        if (stopped !== undefined) {
            for (const { ref } of reads)
                settle(ref, { unknown: 'not counted: counting stopped' });
            continue;
        }
        sent++;
        try {
            const answer = await withDeadline(aggregateCounts(target, query), deadline);
            for (const { ref, read } of reads) {
                try {
                    settle(ref, { count: read(answer) });
                }
                catch (error) {
                    settle(ref, { unknown: error.message });
                }
            }
        }
        catch (error) {
            if (error instanceof CountTimeout)
                timedOut = true;
            for (const { ref } of reads)
                settle(ref, { unknown: whyUncounted(error) });
        }
    }
    const counted = changes.map((change, changeIndex) => change.stakes === undefined
        ? change
        : {
            ...change,
            stakes: change.stakes.map((stake, stakeIndex) => ({
                question: stake.question,
                ...(results.get(`${changeIndex}:${stakeIndex}`) ??
                    (isSystemCollection(change.collection)
                        ? { unknown: 'a system collection: the item API does not count it' }
                        : { unknown: 'not counted' }))
            }))
        });
    return { changes: counted, note: { queries: sent, ...(stopped ? { stopped } : {}) } };
}
/** Collection → its primary key field, from a snapshot. */
function primaryKeysOf(snapshot) {
    const keys = new Map();
    for (const field of snapshot.fields) {
        if (!isPlainObject(field) || !isPlainObject(field['schema']))
            continue;
        if (field['schema']['is_primary_key'] === true && typeof field['collection'] === 'string' && typeof field['field'] === 'string') {
            keys.set(field['collection'], field['field']);
        }
    }
    return keys;
}
class CountTimeout extends Error {
}
/** The query's answer, or a timeout when the budget ends first (the request itself ends with the session). */
async function withDeadline(work, deadline) {
    let timer;
    const timeout = new Promise((_resolve, reject) => {
        timer = setTimeout(() => reject(new CountTimeout()), Math.max(0, deadline - Date.now()));
    });
    work.catch(() => undefined);
    try {
        return await Promise.race([work, timeout]);
    }
    finally {
        clearTimeout(timer);
    }
}
/** A line on why a count is unknown: a folder, a locked 12.x instance and a missing field all answer 403. */
function whyUncounted(error) {
    if (error instanceof CountTimeout)
        return 'timed out';
    if (error instanceof DirectusError) {
        if (error.status === 403)
            return `Directus refused the count (HTTP 403${error.code ? ` ${error.code}` : ''}): no such table or field, or the instance is locked`;
        return error.status === undefined ? error.reason : `HTTP ${error.status}: ${error.reason}`;
    }
    return error?.message ?? String(error);
}

;// CONCATENATED MODULE: ./src/core/planner.ts










/** Seen live (SQLite base, PostgreSQL target): what a diff across vendors keeps showing after every apply. */
const CROSS_VENDOR_RESIDUE = 'Across database vendors the diff never becomes empty: each database spells column types its own way ' +
    '(varchar and character varying, datetime and timestamp), so they show as updates after every apply. ' +
    'Check type changes in particular: a uuid foreign key read from SQLite is a string, and applying that would change the column type.';
/** Seen live (SQLite and PostgreSQL bases, MariaDB 10.11 targets): what plan/residue.ts takes out, and what it cannot vouch for. */
const MARIADB_TARGET_RESIDUE = 'Across database vendors to a MySQL/MariaDB target, the known residue (column types each database spells its own way, ' +
    'indexes MariaDB keeps on foreign keys) is left out of the plan and listed apart. Tested with MariaDB 10.11; MySQL itself is untested.';
/** Base and target run different Directus versions or vendors, and force is off. */
class MismatchError extends ExpectedError {
    name = 'MismatchError';
}
/** The plan of a promotion: the base schema (live or committed, scoped), diffed on the target. Runs as two or three steps. */
async function planPromotion(session, request, step, options = {}) {
    const base = await step('snapshot', () => loadBaseSnapshot(request, session));
    const plan = await step('diff', () => diffOnTarget(base.snapshot, session.target, session.versions.target, { ...request, warnings: base.warnings }));
    const count = options.count;
    if (!count || !hasStakes(plan.changes))
        return plan;
    return step('count', async () => {
        const counted = await countStakes(session.target, plan.changes, primaryKeysOf(base.snapshot), { budgetMs: count.budgetMs });
        return { ...plan, changes: counted.changes, counting: counted.note };
    });
}
/** The schema part of a promotion that leaves the schema out (`promote` without `schema`): nothing read, nothing planned. */
function schemaNotPromoted(mode) {
    return {
        kind: 'no-changes',
        changes: [],
        skipped: [],
        noise: [],
        summary: 'schema not promoted',
        destructive: false,
        risky: false,
        failing: false,
        base: {},
        target: {},
        warnings: [],
        mode
    };
}
async function diffOnTarget(snapshot, target, targetVersion, options) {
    const warnings = [...(options.warnings ?? [])];
    const mode = options.mode;
    const baseFacts = { version: snapshot.directus, ...(snapshot.vendor ? { vendor: snapshot.vendor } : {}) };
    // Without force Directus checked that both sides run the same version and vendor.
    let targetFacts = { ...baseFacts, ...(targetVersion ? { version: targetVersion } : {}) };
    let response;
    try {
        // Asked without force first even when force is set, so the report can show
        // the mismatch that force is overriding.
        response = await diffSnapshot(target, snapshot, { force: false, mode });
    }
    catch (error) {
        if (!isVersionOrVendorMismatch(error))
            throw error;
        if (!options.force) {
            throw new MismatchError(`${error.message}. Base runs Directus ${baseFacts.version ?? 'unknown'} on ${baseFacts.vendor ?? 'an unknown database'}, ` +
                `target runs Directus ${targetVersion ?? 'unknown'}. Set ${(options.advice ?? ACTION_ADVICE).setting('force')} to diff and apply across versions or vendors anyway.`);
        }
        warnings.push(`Version or vendor mismatch overridden with force: ${error.reason}`);
        const vendor = vendorNamedIn(error.reason);
        targetFacts = { ...(targetVersion ? { version: targetVersion } : {}), ...(vendor ? { vendor } : {}) };
        if (vendor && baseFacts.vendor && vendor !== baseFacts.vendor)
            warnings.push(vendor === 'mysql' ? MARIADB_TARGET_RESIDUE : CROSS_VENDOR_RESIDUE);
        response = await diffSnapshot(target, snapshot, { force: true, mode });
    }
    const facts = { base: baseFacts, target: targetFacts, warnings, mode };
    const nothing = { changes: [], skipped: [], summary: summarizeChanges([]), destructive: false, risky: false, failing: false };
    if (!response)
        return { kind: 'no-changes', noise: [], ...nothing, ...facts };
    const noiseContext = noiseContextOf(snapshot, targetFacts.vendor);
    const trimmed = trimNoise(response.diff, noiseContext);
    if (isEmptyDiff(trimmed.diff))
        return { kind: 'no-changes', noise: trimmed.noise, ...nothing, ...facts };
    const reading = await readingContext(trimmed.diff, target, {
        noise: noiseContext,
        ...(targetFacts.vendor ? { vendor: targetFacts.vendor } : {})
    });
    return {
        kind: 'changes',
        hash: response.hash,
        diff: trimmed.diff,
        digest: digest_diffDigest(trimmed.diff),
        ...(trimmed.diff !== response.diff && trimmed.noise.length > 0 ? { untrimmed: response.diff } : {}),
        reading,
        noise: trimmed.noise,
        ...readingFacts(readDiff(trimmed.diff, reading)),
        ...facts
    };
}
/** What a reading of the diff says, as the plan carries it. */
function readingFacts(reading) {
    return {
        changes: reading.changes,
        skipped: reading.skipped,
        summary: summarizeChanges(reading.changes),
        destructive: isDestructive(reading.changes),
        risky: riskyChanges(reading.changes).length > 0,
        failing: failingChanges(reading.changes).length > 0
    };
}
/**
 * The context to read this diff with. The target's schema is fetched only
 * when the diff asks what only the target knows (a folder that may be
 * missing, a delete by a property outside `schema`): Directus' answer tells
 * everything else, and a snapshot of a large target is not cheap.
 */
async function readingContext(diff, target, known) {
    if (known.target !== undefined || !needsTargetView(diff))
        return known;
    const snapshot = await takeSnapshot(target);
    return { ...known, target: targetViewOf(snapshot), ...(snapshot.vendor ? { vendor: snapshot.vendor } : {}) };
}

;// CONCATENATED MODULE: ./src/core/apply.ts
/**
 * Apply, shared by the action and the command line: the guard's checks (see
 * guard/), then the reviewed diff sent once, then verification that no
 * reviewed change is still pending. Where a run's findings are reported
 * (outputs, comments, a terminal) is the caller's business.
 */














async function applyReviewed(session, reviewed, request, hooks) {
    const { snapshot, warnings } = await hooks.step('snapshot', () => loadBaseSnapshot(request, session));
    const current = await hooks.step('diff', () => diffOnTarget(snapshot, session.target, session.versions.target, { ...request, warnings }));
    hooks.onCurrentPlan?.(current);
    for (const warning of current.warnings)
        hooks.warning(warning);
    if (reviewed && !hasSchemaPart(reviewed)) {
        // Reviewed as configuration alone: the schema must still match, or the reviewer did not see its change.
        if (current.kind === 'no-changes')
            return { applied: false, current, text: 'The reviewed plan changes no schema, and the schema still matches the base.' };
        throw new ApplyFailure('plan-changed', `The reviewed plan changes no schema, but the schema differs now (${current.summary}). Nothing was applied. ${(request.advice ?? ACTION_ADVICE).replan}`);
    }
    const currentHash = current.kind === 'changes' ? current.hash : null;
    if (reviewed?.appliedAt) {
        if (currentHash === null || currentHash === reviewed.appliedHash) {
            return {
                applied: false,
                current,
                text: `This plan was applied at ${reviewed.appliedAt} and the target is exactly as that apply left it; nothing to apply.` +
                    (currentHash ? ` What still differs is normalisation residue: ${current.summary} (hash ${currentHash}).` : '')
            };
        }
        throw alreadyApplied(reviewed, currentHash);
    }
    if (current.kind === 'no-changes') {
        if (reviewed?.fromPullRequest) {
            throw new ApplyFailure('target-changed', `The target already holds the base schema, but not through this plan's apply: another run or a manual change got there first. Nothing was applied.`);
        }
        return { applied: false, current, text: 'The target already matches the base; nothing to apply.' };
    }
    const plan = reviewed ?? unreviewedPlan(request, current);
    if (!reviewed)
        hooks.warning(`Applying to ${request.targetName} without a reviewed plan (require-plan: false).`);
    // A reviewed diff other than today's (the base moved on) is read against the same target: the hash is the reviewed one.
    const otherDiff = plan.diff !== undefined && plan.hash === current.hash && digest_diffDigest(plan.diff) !== current.digest ? plan.diff : undefined;
    const reading = otherDiff ? await readingContext(otherDiff, session.target, current.reading) : undefined;
    const { diff, changes } = checkReviewedPlan(plan, current, request, reading);
    if (isDestructive(changes)) {
        const count = countOf(changes.filter((change) => change.destructive).length, 'destructive change');
        hooks.warning(`Applying ${count} to ${request.targetName} (${describeDestructive(changes)}).`);
    }
    const note = await hooks.step('apply', () => applyOnce(session.target, plan, diff, changes, snapshot, request, hooks, current.target.vendor));
    hooks.onApplied?.();
    const after = await hooks.step('verify', () => verifyApplied(session.target, snapshot, changes, request));
    if (after.residue)
        hooks.warning(after.residue);
    return {
        applied: true,
        current,
        changes,
        appliedHash: after.hash ?? '',
        ...(note ? { note } : {}),
        ...(after.residue ? { residue: after.residue } : {})
    };
}
/**
 * A reviewed plan is applied once. After its apply, only the target exactly
 * as that apply left it is a success (a re-run); any other state, even the
 * hash the plan was reviewed against (the target reverted since), is not
 * what the reviewers approved to change: they approved one change at one time.
 */
function alreadyApplied(reviewed, currentHash) {
    const left = reviewed.appliedHash ? `hash ${reviewed.appliedHash}` : 'the base schema';
    const back = currentHash === reviewed.hash ? ', which is the hash it was reviewed against: the target went back' : '';
    return new ApplyFailure('target-changed', `The target schema changed since the plan was reviewed and applied at ${reviewed.appliedAt} (hash now ${currentHash}${back}; that apply left ${left}). ` +
        'A reviewed plan is applied once: it is not applied again to a target that moved since. Nothing was applied. ' +
        'Plan and review the change again (a new pull request).');
}
/**
 * Apply is sent once and never retried. When it fails without a clear answer,
 * the target is diffed again to learn whether it took effect.
 */
async function applyOnce(target, plan, diff, changes, snapshot, policy, hooks, targetVendor) {
    try {
        await applySchemaDiff(target, { hash: plan.hash, diff });
        return undefined;
    }
    catch (error) {
        if (!(error instanceof DirectusError))
            throw error;
        if (isHashRefusal(error)) {
            throw new ApplyFailure('target-changed', `Directus refused the apply: the target schema changed since the plan (${error.reason}). Nothing was applied. Re-run the plan.`);
        }
        const ambiguous = isAmbiguous(error);
        // What a failed apply committed on MySQL/MariaDB is missing from Directus' cached schema until this.
        if (isNonTransactional(targetVendor)) {
            await clearSystemCache(target).catch((cacheError) => hooks.warning(`Could not clear the target's cached schema after the failed apply: ${cacheError.message}`));
        }
        // Directus' own refusal (4xx with its error code) comes from inside its one
        // transaction or before it: on databases whose schema changes roll back,
        // nothing of this apply remains, whatever the target shows now.
        const refusedWhole = isDirectusRefusal(error) && TRANSACTIONAL_DDL.has(targetVendor ?? '');
        const after = await recheck(target, snapshot, plan, changes, policy, hooks, ambiguous);
        if (!after) {
            const outcome = refusedWhole
                ? `Directus refused it in one transaction, so nothing of it was applied, but the target could not be checked afterwards`
                : 'The target could not be checked afterwards; inspect it before retrying';
            throw new ApplyFailure('apply-failed', `${error.message}. ${outcome}.`);
        }
        const afterHash = after.kind === 'changes' ? after.hash : null;
        if (afterHash === plan.hash) {
            throw new ApplyFailure('apply-failed', `${error.message}. The target is unchanged; nothing was applied.${licenseHint(error)}`);
        }
        if (refusedWhole) {
            throw new ApplyFailure('target-changed', `${error.message}. Directus refused this apply, and the target's schema is no longer the reviewed one (hash now ${afterHash ?? 'that of the base'}, reviewed ${plan.hash}): ` +
                `another apply got there first, or the target was changed by hand. Nothing was applied by this run. Re-run the plan.`);
        }
        // Directus answered a failure: what it still asks exactly as reviewed was not applied. Without an answer the
        // apply may have run, and a re-emitted property is residue as after any apply.
        const pending = after.kind === 'changes' ? verifyAgainst(changes, after.changes, { reemittedIsPending: !ambiguous }).pending : [];
        if (pending.length === 0 && isDirectusRefusal(error)) {
            throw new ApplyFailure('target-changed', `${error.message}. The target now holds the reviewed schema, but not from this run: another apply got there first.`);
        }
        if (pending.length === 0) {
            // No answer, or an error Directus raised after its transaction (flushing
            // caches, re-reading the schema): the change is in, so say it is.
            const note = ambiguous
                ? `The apply request failed (${error.reason}), but the target now holds the reviewed schema: it took effect.`
                : `Directus answered an error after the apply (${error.reason}), but the target now holds the reviewed schema: the apply took effect before the error.`;
            hooks.warning(note);
            return note;
        }
        if (after.kind === 'changes' && pending.length < changes.length) {
            throw partialApplyFailure(error, changes, pending, after.hash, targetVendor, policy.advice);
        }
        throw new ApplyFailure('apply-failed', `${error.message}. The target changed but does not hold the reviewed schema (${pending.length} reviewed change(s) still pending); inspect it before retrying.${licenseHint(error)}`);
    }
}
/** Pause between looks at a target whose apply may still be running. */
const SETTLE_PAUSE_MS = 1_000;
/**
 * The target after a failed apply. After an ambiguous failure Directus may
 * still be applying, so the target is looked at until it holds still (the
 * same hash twice), holds the reviewed schema, or three request timeouts pass.
 */
async function recheck(target, snapshot, plan, changes, policy, hooks, ambiguous) {
    const deadline = Date.now() + policy.timeoutMs * 3;
    let previousHash;
    for (;;) {
        const after = await diffOnTarget(snapshot, target, undefined, policy).catch(() => undefined);
        const afterHash = after === undefined ? undefined : after.kind === 'changes' ? after.hash : null;
        // Re-emitted residue is not pending, so an unchanged target (the reviewed hash) does not hold the reviewed schema yet.
        const holdsReviewed = after !== undefined &&
            (after.kind === 'no-changes' || (after.hash !== plan.hash && verifyAgainst(changes, after.changes).pending.length === 0));
        const settled = afterHash !== undefined && previousHash !== undefined && afterHash === previousHash;
        if (!ambiguous || holdsReviewed || settled || Date.now() + SETTLE_PAUSE_MS > deadline)
            return after;
        hooks.info(`The apply request got no clear answer; looking at the target again in ${SETTLE_PAUSE_MS} ms (hash now ${afterHash ?? 'unknown'}, reviewed ${plan.hash})`);
        previousHash = afterHash;
        await new Promise((resolve) => setTimeout(resolve, SETTLE_PAUSE_MS));
    }
}
/**
 * No answer, or an error page from something in front of Directus (a load
 * balancer's 502 after its own timeout): the apply may have run all the same.
 */
function isAmbiguous(error) {
    return error.status === undefined || (error.status >= 500 && error.code === undefined);
}
/** Databases whose schema changes roll back with Directus' apply transaction (docs/directus-apply-rules.md, docs/mariadb.md). */
const TRANSACTIONAL_DDL = new Set(['sqlite', 'postgres']);
/** Directus itself refused the request (its 4xx answers carry its error code), as opposed to a proxy in front of it. */
function isDirectusRefusal(error) {
    return error.status !== undefined && error.status >= 400 && error.status < 500 && error.code !== undefined;
}
/** Directus 12 caps active collections without a license key (25 in 12.4), during apply too. */
function licenseHint(error) {
    return error.code === 'LIMIT_EXCEEDED'
        ? " The target's Directus license does not allow this many collections: Directus 12 without a license key allows at most 25 active collections. " +
            "Add a license key to the target, or promote fewer collections (e.g. with 'include-collections')."
        : '';
}
/**
 * After apply, no reviewed change may be pending. What still differs is
 * shown, never hidden: what Directus re-emits unchanged (residue no apply
 * removes) and base edits made after review are a warning, not a failure.
 */
async function verifyApplied(target, snapshot, reviewed, policy) {
    const after = await diffOnTarget(snapshot, target, undefined, policy);
    if (after.kind === 'no-changes')
        return { hash: null };
    const { pending, remaining } = verifyAgainst(reviewed, after.changes);
    if (pending.length > 0) {
        throw new ApplyFailure('apply-failed', `Directus accepted the apply, but ${pending.length} reviewed change(s) are still pending on the target: ${summarizeChanges(pending)} ` +
            `(${pending.map((change) => `${change.action} ${change.entity} ${change.collection}${change.field ? `.${change.field}` : ''}`).join('; ')}). ` +
            'The target changed; inspect it before retrying.');
    }
    const skipped = after.skipped.length > 0 ? `, and ${countOf(after.skipped.length, 'item')} Directus skips` : '';
    return {
        hash: after.hash,
        residue: `After apply the target still differs from the base by ${summarizeChanges(remaining)}${skipped} (target hash ${after.hash}): ` +
            `normalisation residue Directus re-emits after every apply, or base changes made after review; none of it is part of the reviewed plan.`
    };
}

;// CONCATENATED MODULE: ./src/core/config/model.ts
/** What `promote` can name besides `schema` (and `all`). */
const CONFIG_PARTS = ['access', 'flows', 'dashboards', 'presets', 'translations', 'settings', 'folders'];
/**
 * The system collections, in the order apply writes them (creates and updates);
 * deletes run in the reverse order. The schema is applied before all of them.
 */
const CONFIG_COLLECTIONS = [
    'folders',
    'policies',
    'roles',
    'access',
    'permissions',
    'flows',
    'operations',
    'dashboards',
    'panels',
    'presets',
    'translations',
    'settings'
];
/** Which collections each part reads and writes. */
const PART_COLLECTIONS = {
    access: ['policies', 'roles', 'access', 'permissions'],
    flows: ['flows', 'operations'],
    dashboards: ['dashboards', 'panels'],
    presets: ['presets'],
    translations: ['translations'],
    settings: ['settings'],
    folders: ['folders']
};
/** The public policy has this id on every instance (docs/directus-config-facts.md A2). */
const PUBLIC_POLICY_ID = 'abf8a154-5b1c-4a46-ac9c-7300570f4f17';
function operationsOf(plan) {
    return plan.batches.flatMap((batch) => batch.operations);
}

;// CONCATENATED MODULE: ./src/core/config/fields.ts
/**
 * Which fields of each system collection are read, compared and written
 * (docs/directus-config-facts.md A1 and E): data fields only. Alias fields are
 * nested writes (B7: `PATCH /roles/:id {policies: []}` deletes access rows), and
 * `date_created`/`user_created` are set by the server, so neither is ever read.
 */

/** The data fields compared per collection; `id` is the key, compared only where it carries over (uuid). */
const COMPARED = {
    folders: { all: ['id', 'name', 'parent'], since12: ['type'] },
    policies: { all: ['id', 'name', 'icon', 'description', 'ip_access', 'enforce_tfa', 'admin_access', 'app_access'] },
    roles: { all: ['id', 'name', 'icon', 'description', 'parent'] },
    access: { all: ['id', 'role', 'user', 'policy', 'sort'] },
    permissions: { all: ['id', 'collection', 'action', 'permissions', 'validation', 'presets', 'fields', 'policy'] },
    flows: {
        all: ['id', 'name', 'icon', 'color', 'description', 'status', 'trigger', 'accountability', 'options', 'operation'],
        since12: ['folder']
    },
    operations: { all: ['id', 'name', 'key', 'type', 'position_x', 'position_y', 'options', 'resolve', 'reject', 'flow'] },
    dashboards: { all: ['id', 'name', 'icon', 'note', 'color'] },
    panels: {
        all: [
            'id',
            'dashboard',
            'name',
            'icon',
            'color',
            'show_header',
            'note',
            'type',
            'position_x',
            'position_y',
            'width',
            'height',
            'options'
        ]
    },
    presets: {
        all: [
            'id',
            'bookmark',
            'user',
            'role',
            'collection',
            'search',
            'layout',
            'layout_query',
            'layout_options',
            'refresh_interval',
            'filter',
            'icon',
            'color'
        ]
    },
    translations: { all: ['id', 'language', 'key', 'value'] }
};
/**
 * The settings promoted: an allow-list (facts E, "Promote"), so a field a new
 * Directus adds is never copied by accident. Left out on purpose: identity and
 * ownership (`project_id`, `project_url`, `project_owner`, …), licence fields,
 * file references, the masked AI keys and `mapbox_key`, custom LLM settings,
 * `visual_editor_urls`, the MCP OAuth switches, and the fields that reference
 * other records (`public_registration_role`, `storage_default_folder`).
 */
const SETTINGS_FIELDS = {
    all: [
        'project_name',
        'project_descriptor',
        'project_color',
        'public_note',
        'default_language',
        'default_appearance',
        'default_theme_light',
        'default_theme_dark',
        'theme_light_overrides',
        'theme_dark_overrides',
        'custom_css',
        'module_bar',
        'storage_asset_transform',
        'storage_asset_presets',
        'custom_aspect_ratios',
        'basemaps',
        'report_error_url',
        'report_bug_url',
        'report_feature_url',
        'ai_system_prompt',
        'ai_openai_allowed_models',
        'ai_anthropic_allowed_models',
        'ai_google_allowed_models',
        'collaborative_editing_enabled',
        'mcp_prompts_collection',
        'mcp_system_prompt_enabled',
        'mcp_system_prompt',
        // Security-relevant: promoted, and the report may mark them.
        'auth_login_attempts',
        'auth_password_policy',
        'public_registration',
        'public_registration_verify_email',
        'public_registration_email_filter',
        'mcp_enabled',
        'mcp_allow_deletes'
    ],
    since12: ['default_save_action', 'ai_translation_default_model', 'ai_translation_glossary', 'ai_translation_style_guide']
};
/** Settings never promoted, named so an overrides file that names one gets a clear error. */
const SETTINGS_NEVER_PROMOTED = [
    'id',
    'project_id',
    'project_url',
    'project_owner',
    'project_usage',
    'org_name',
    'product_updates',
    'project_status',
    'license_key',
    'license_token',
    'project_logo',
    'public_foreground',
    'public_background',
    'public_favicon',
    'ai_openai_api_key',
    'ai_anthropic_api_key',
    'ai_google_api_key',
    'ai_openai_compatible_api_key',
    'mapbox_key',
    'ai_openai_compatible_base_url',
    'ai_openai_compatible_name',
    'ai_openai_compatible_models',
    'ai_openai_compatible_headers',
    'visual_editor_urls',
    'mcp_oauth_enabled',
    'mcp_oauth_dcr_enabled',
    'mcp_oauth_cimd_enabled',
    'public_registration_role',
    'storage_default_folder'
];
/** Collections whose key is an autoincrement integer: an id means nothing across instances. */
const INTEGER_KEYED = new Set(['permissions', 'presets', 'settings']);
function isMajor12OrLater(version) {
    const major = Number(/^v?(\d+)\./.exec(version ?? '')?.[1] ?? Number.NaN);
    return Number.isFinite(major) && major >= 12;
}
/** The fields of `collection` on a server of `version` (unknown version: the common fields only). */
function fieldsOn(collection, version) {
    const list = collection === 'settings' ? SETTINGS_FIELDS : COMPARED[collection];
    return [...list.all, ...(isMajor12OrLater(version) ? (list.since12 ?? []) : [])];
}
/**
 * What a plan compares between two instances: the fields both have, without
 * the key (matched separately) and without references to parts not promoted
 * (a flow's folder is compared only when folders are promoted too).
 */
function comparedFields(collection, baseVersion, targetVersion, parts) {
    const onTarget = new Set(fieldsOn(collection, targetVersion));
    return fieldsOn(collection, baseVersion).filter((field) => field !== 'id' && onTarget.has(field) && !(collection === 'flows' && field === 'folder' && !parts.includes('folders')));
}
/** The collections a plan of `parts` writes, in apply order. */
function plannedCollections(parts) {
    const planned = new Set(parts.flatMap((part) => PART_COLLECTIONS[part]));
    return CONFIG_COLLECTIONS.filter((collection) => planned.has(collection));
}
/**
 * Collections read only to map references: a role preset names a role, so
 * presets need the roles even when access is not promoted.
 */
function referencedCollections(parts) {
    const planned = new Set(plannedCollections(parts));
    return parts.includes('presets') && !planned.has('roles') ? ['roles'] : [];
}

;// CONCATENATED MODULE: ./src/directus/config/read.ts
/**
 * Reads the system collections of the promoted configuration parts
 * (docs/directus-config-facts.md): every page, only the compared data fields
 * (never the alias fields, which are nested writes: B7), global and role
 * presets only, access rows of roles and the public link only (users are out
 * of scope), and the settings allow-list.
 */




/** The endpoint of each system collection. */
const CONFIG_ENDPOINTS = {
    folders: '/folders',
    policies: '/policies',
    roles: '/roles',
    access: '/access',
    permissions: '/permissions',
    flows: '/flows',
    operations: '/operations',
    dashboards: '/dashboards',
    panels: '/panels',
    presets: '/presets',
    translations: '/translations',
    settings: '/settings'
};
/** Filters that keep what configuration promotion covers. */
const FILTERS = {
    // A user's own access rows and presets belong to users, which are not promoted (issue #11).
    access: { 'filter[user][_null]': 'true' },
    presets: { 'filter[user][_null]': 'true' },
    // Drops Directus' synthetic app-minimal rows (D3), which have no id and no policy.
    permissions: { 'filter[policy][_nnull]': 'true' }
};
async function readConfigState(connection, parts) {
    const { version } = await readServerInfo(connection);
    const entitlements = await readEntitlements(connection);
    const collections = [...plannedCollections(parts), ...referencedCollections(parts)];
    const items = {};
    // One at a time: the target of an apply is a production server, and the reads are few.
    for (const collection of collections) {
        const fields = fieldsOn(collection, version);
        items[collection] =
            collection === 'permissions' && !entitlements.customPermissionRules
                ? await readPermissionsThroughPolicies(connection, fields)
                : await readCollection(connection, collection, fields);
    }
    return {
        ...(version ? { version } : {}),
        items,
        limits: limitsOf(entitlements, collections),
        ...(entitlements.customPermissionRules && entitlements.activeFlows === undefined ? {} : { entitlements })
    };
}
async function readCollection(connection, collection, fields) {
    const path = CONFIG_ENDPOINTS[collection];
    const params = { fields: fields.join(','), ...(collection === 'settings' ? {} : { limit: '-1' }), ...FILTERS[collection] };
    const data = await connection.send({ method: 'GET', path, params });
    if (collection === 'settings') {
        if (!isPlainObject(data))
            throw unexpected(connection, path, data);
        return [pick(data, fields)];
    }
    if (!Array.isArray(data))
        throw unexpected(connection, path, data);
    return data
        .filter((row) => isPlainObject(row) && row['id'] !== undefined && row['id'] !== null)
        .map((row) => pick(row, fields));
}
/**
 * An unlicensed 12.x leaves permissions with custom rules out of
 * `GET /permissions` (D2); a nested read through the policies bypasses
 * PermissionsService and shows them all.
 */
async function readPermissionsThroughPolicies(connection, fields) {
    const params = {
        fields: fields.map((field) => `permissions.${field}`).join(','),
        limit: '-1',
        'deep[permissions][_limit]': '-1'
    };
    const data = await connection.send({ method: 'GET', path: '/policies', params });
    if (!Array.isArray(data))
        throw unexpected(connection, '/policies', data);
    return data.flatMap((policy) => {
        const permissions = isPlainObject(policy) ? policy['permissions'] : undefined;
        return Array.isArray(permissions) ? permissions.filter(isPlainObject).map((row) => pick(row, fields)) : [];
    });
}
/**
 * 12.x says what its licence allows on `GET /license` (admin only, D6); 11.x
 * has no licence (404) and no limits.
 */
async function readEntitlements(connection) {
    let data;
    try {
        data = await connection.send({ method: 'GET', path: '/license' });
    }
    catch (error) {
        if (error instanceof DirectusError && error.status === 404)
            return { customPermissionRules: true };
        throw error;
    }
    const entitlements = isPlainObject(data) && isPlainObject(data['entitlements']) ? data['entitlements'] : {};
    const rules = entitlements['custom_permission_rules_enabled'];
    const flows = entitlements['flows'];
    const enabled = isPlainObject(rules) ? (rules['override'] ?? rules['default']) === true : true;
    const limit = isPlainObject(flows) ? (flows['override'] ?? flows['limit']) : undefined;
    return { customPermissionRules: enabled, ...(typeof limit === 'number' ? { activeFlows: limit } : {}) };
}
function limitsOf(entitlements, collections) {
    const limits = [];
    if (!entitlements.customPermissionRules && collections.includes('permissions')) {
        limits.push({
            collection: 'permissions',
            text: 'this Directus has no licence for custom permission rules: it hides permissions with restricted fields, a filter, ' +
                'a validation or presets from /permissions (read here through /policies instead), and refuses to create or change them'
        });
    }
    if (entitlements.activeFlows !== undefined && collections.includes('flows')) {
        limits.push({ collection: 'flows', text: `this Directus allows ${entitlements.activeFlows} active flows without a licence` });
    }
    return limits;
}
function pick(row, fields) {
    const picked = {};
    for (const field of fields)
        if (field in row)
            picked[field] = row[field];
    return picked;
}
function unexpected(connection, path, data) {
    const shape = Array.isArray(data) ? 'a list' : data === null ? 'null' : typeof data;
    return new DirectusError(connection.side, connection.host, `GET ${path}`, `answered ${shape}, not the records of ${path}`);
}
/** The identity the connection acts as, for the lockout guard (docs/directus-config-facts.md H). */
async function readAdminIdentity(connection) {
    const me = await connection.send({ method: 'GET', path: '/users/me', params: { fields: 'id,role' } });
    if (!isPlainObject(me) || typeof me['id'] !== 'string')
        throw unexpected(connection, '/users/me', me);
    const rows = await connection.send({
        method: 'GET',
        path: '/access',
        params: { fields: 'policy', limit: '-1', 'filter[user][_eq]': me['id'] }
    });
    const userPolicies = Array.isArray(rows)
        ? rows.flatMap((row) => (isPlainObject(row) && typeof row['policy'] === 'string' ? [row['policy']] : []))
        : [];
    return { user: me['id'], role: typeof me['role'] === 'string' ? me['role'] : null, userPolicies };
}

;// CONCATENATED MODULE: ./src/directus/config/write.ts


async function applyBatches(connection, batches, hooks = {}) {
    const done = [];
    for (const [index, batch] of batches.entries()) {
        await hooks.beforeBatch?.(batch, index);
        const spec = requestFor(batch);
        hooks.debug?.(`${spec.method} ${spec.path}: ${batch.kind} ${batch.operations.length} ${batch.collection} record(s)`);
        try {
            await connection.send(spec);
        }
        catch (error) {
            const failure = error instanceof DirectusError ? error : toDirectusError(error, connection.side, connection.host, `${spec.method} ${spec.path}`);
            return { done, failed: { batch, error: failure }, pending: batches.slice(index + 1) };
        }
        done.push(batch);
        hooks.afterBatch?.(batch, index);
    }
    return { done, pending: [] };
}
/** The one request of a batch. */
function requestFor(batch) {
    const path = CONFIG_ENDPOINTS[batch.collection];
    const json = (body) => ({ body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
    if (batch.collection === 'settings') {
        // A singleton: no batch form (facts E); a settings plan has one update.
        const [only] = batch.operations;
        if (batch.operations.length !== 1 || only?.kind !== 'update')
            throw new Error(`a settings batch is one update, not ${batch.operations.length} ${batch.kind}`);
        return { method: 'PATCH', path, ...json(only.values) };
    }
    switch (batch.kind) {
        case 'create':
            return { method: 'POST', path, ...json(batch.operations.map((operation) => valuesOf(operation))) };
        case 'update':
            return { method: 'PATCH', path, ...json(batch.operations.map((operation) => ({ ...valuesOf(operation), id: operation.key }))) };
        case 'unlink':
            return {
                method: 'PATCH',
                path,
                ...json(batch.operations.map((operation) => ({
                    ...Object.fromEntries(fieldsOf(operation).map((field) => [field, null])),
                    id: operation.key
                })))
            };
        case 'delete':
            // An array body (deleteMany): `{}` or no body answers 500 on some endpoints (B6).
            return { method: 'DELETE', path, ...json(batch.operations.map((operation) => operation.key)) };
    }
}
function valuesOf(operation) {
    return operation.kind === 'create' || operation.kind === 'update' ? operation.values : {};
}
function fieldsOf(operation) {
    return operation.kind === 'unlink' ? operation.fields : [];
}

;// CONCATENATED MODULE: ./src/core/config/secrets.ts
/** Key names that hold secrets: `authorization`, `token`, `password`, `secret`, `key`, `credentials` and their compounds. */
const SECRET_KEY = /authorization|token|passw(or)?d|secret|credential|(^|[_-])key$|api[_-]?key|[a-z]Key$|^key$|private/i;
/** A URL with a user and password, or with a query parameter named like a secret. */
const URL_WITH_CREDENTIALS = /^[a-z][a-z0-9+.-]*:\/\/[^/?#\s@]*:[^/?#\s@]*@|[?&][^=&#]*(token|key|secret|passw(or)?d|signature|auth)[^=&#]*=[^&#]+/i;
/**
 * Whether the value at `path` of a record of `collection` is a secret.
 * Top-level columns of records are names and keys (an operation's `key`, a
 * translation's `key`), not secrets; inside JSON (options, headers) and in
 * settings the key names decide.
 */
function isSecretPath(collection, path, value) {
    if (typeof value === 'string' && URL_WITH_CREDENTIALS.test(value))
        return true;
    const nested = collection === 'settings' ? path : path.slice(1);
    if (nested.length === 0)
        return false;
    // Request headers: `headers: [{header, value}]` (request operation); every header's value may be a credential.
    const last = nested[nested.length - 1];
    if (last === 'value' && nested.length >= 3 && typeof nested[nested.length - 2] === 'number' && nested[nested.length - 3] === 'headers') {
        return true;
    }
    if (isNamedKey(collection, path))
        return false;
    return nested.some((segment) => typeof segment === 'string' && SECRET_KEY.test(segment));
}
/**
 * `key` that names something rather than unlocking it: an asset preset's key
 * (settings), and the item keys an item operation reads or changes.
 */
function isNamedKey(collection, path) {
    if (path[path.length - 1] !== 'key')
        return false;
    if (collection === 'settings')
        return path[0] === 'storage_asset_presets';
    return collection === 'operations' && path.length === 2 && path[0] === 'options';
}
/** The paths of the secret leaves inside `value` (at `path` of a record). */
function secrets_secretLeaves(collection, path, value) {
    if (isSecretPath(collection, path, value) && !isContainer(value))
        return value === null || value === undefined || value === '' ? [] : [path];
    if (Array.isArray(value))
        return value.flatMap((item, index) => secrets_secretLeaves(collection, [...path, index], item));
    if (isContainer(value))
        return Object.entries(value).flatMap(([key, item]) => secrets_secretLeaves(collection, [...path, key], item));
    return [];
}
function containsSecret(collection, path, value) {
    return secrets_secretLeaves(collection, path, value).length > 0;
}
/** `options.headers[0].value` */
function secrets_formatPath(path) {
    return path.map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`)).join('');
}
/** The inverse of formatPath; undefined when the text is not a path. */
function parsePath(text) {
    const segments = [];
    const pattern = /([^.[\]]+)|\[(\d+)\]/g;
    let consumed = 0;
    for (const match of text.matchAll(pattern)) {
        const separator = text.slice(consumed, match.index);
        if (separator !== (segments.length === 0 || match[2] !== undefined ? '' : '.'))
            return undefined;
        segments.push(match[2] !== undefined ? Number(match[2]) : match[1]);
        consumed = match.index + match[0].length;
    }
    return consumed === text.length && segments.length > 0 && typeof segments[0] === 'string' ? segments : undefined;
}
function valueAt(value, path) {
    let current = value;
    for (const segment of path) {
        if (!isContainer(current))
            return undefined;
        current = current[segment];
    }
    return current;
}
/** A copy of `value` with `replacement` at `path` (the path must exist up to its parent). */
function withValueAt(value, path, replacement) {
    if (path.length === 0)
        return replacement;
    const [head, ...rest] = path;
    if (Array.isArray(value)) {
        const copy = [...value];
        copy[head] = withValueAt(value[head], rest, replacement);
        return copy;
    }
    const record = isContainer(value) ? value : {};
    return { ...record, [head]: withValueAt(record[head], rest, replacement) };
}
/** A copy with every secret leaf replaced by `hash(value)`: what the digest seals. */
function secrets_hashSecrets(collection, record, extra, hash) {
    let copy = record;
    const paths = [...secrets_secretLeaves(collection, [], record).filter((path) => path.length > 0), ...extra];
    for (const path of paths) {
        const secret = valueAt(copy, path);
        if (secret !== undefined)
            copy = withValueAt(copy, path, `secret:${hash(secret)}`);
    }
    return copy;
}
function isContainer(value) {
    return typeof value === 'object' && value !== null;
}

;// CONCATENATED MODULE: ./src/core/config/fingerprint.ts
/**
 * What the record seals of a configuration plan (issue #11, "The seal and the
 * apply"): the digest of the canonical operations, and fingerprints of the
 * target: [0] as planned, [i] as it will be after batch i, simulated over the
 * compared fields. Apply re-reads the target before each batch; a state that
 * matches [i] means batches 1..i are done (a re-run after a part-way failure
 * continues from there), anything else is `target-changed`.
 *
 * Secrets go into both only as keyed hashes (`secretHash`, keyed by the record
 * key): the record is public to whoever reads the pull request, and a plain
 * hash would let a reader test guesses.
 */





/** sha256 over the batches in order: what is sent, secrets as keyed hashes (labels, changes and `before` are for people). */
function configDigest(batches, secretHash) {
    const canonical = batches.map((batch) => ({
        collection: batch.collection,
        kind: batch.kind,
        operations: batch.operations.map((operation) => ({
            key: operation.key ?? null,
            ...(operation.kind === 'create' || operation.kind === 'update'
                ? { values: secrets_hashSecrets(operation.collection, operation.values, secretPathsOf(operation.changes), secretHash) }
                : {}),
            ...(operation.kind === 'unlink' ? { fields: operation.fields } : {})
        }))
    }));
    return `sha256:${(0,external_node_crypto_.createHash)('sha256').update(json_canonicalJson(canonical)).digest('hex')}`;
}
function secretPathsOf(changes) {
    return changes.flatMap((change) => {
        const path = change.secret ? parsePath(change.path) : undefined;
        return path ? [path] : [];
    });
}
/** The fingerprint of the target as it is: compare it with plan.fingerprints. */
function fingerprintOf(state, plan, secretHash) {
    const compared = plan.compared ??
        Object.fromEntries(plannedCollections(plan.parts).map((collection) => [collection, fieldsOn(collection, state.version)]));
    const hash = (0,external_node_crypto_.createHash)('sha256');
    for (const collection of CONFIG_COLLECTIONS) {
        const fields = compared[collection];
        if (!fields)
            continue;
        // Integer keys are the target's own and unknown before a create: those records count by content.
        const covered = INTEGER_KEYED.has(collection)
            ? fields.filter((field) => field !== 'id')
            : ['id', ...fields.filter((field) => field !== 'id')];
        const records = (state.items[collection] ?? [])
            .map((item) => json_canonicalJson(secrets_hashSecrets(collection, fingerprint_pick(item, covered), [], secretHash)))
            .sort();
        hash.update(json_canonicalJson([collection, records]));
    }
    return `sha256:${hash.digest('hex')}`;
}
/** [0]: the target as read; [i]: after batch i. */
function planFingerprints(target, plan, secretHash) {
    const fingerprints = [fingerprintOf(target, plan, secretHash)];
    let state = target;
    for (const batch of plan.batches) {
        state = simulateBatch(state, batch);
        fingerprints.push(fingerprintOf(state, plan, secretHash));
    }
    return fingerprints;
}
/** The target after one batch, as Directus will store it (facts B, C: no cascade the plan does not spell out). */
function simulateBatch(state, batch) {
    let items = [...(state.items[batch.collection] ?? [])];
    const find = (key) => (batch.collection === 'settings' ? 0 : items.findIndex((item) => item['id'] === key));
    for (const operation of batch.operations) {
        if (operation.kind === 'create') {
            items.push(operation.values);
            continue;
        }
        if (operation.kind === 'delete') {
            items = items.filter((item) => item['id'] !== operation.key);
            continue;
        }
        const index = find(operation.key);
        const current = items[index];
        if (index < 0 || !current)
            continue;
        const values = operation.kind === 'update' ? operation.values : Object.fromEntries(operation.fields.map((field) => [field, null]));
        items[index] = { ...current, ...values };
    }
    return { ...state, items: { ...state.items, [batch.collection]: items } };
}
/** Applies every batch: the target as the plan leaves it. */
function simulatePlan(state, batches) {
    return batches.reduce(simulateBatch, state);
}
function fingerprint_pick(item, fields) {
    return Object.fromEntries(fields.map((field) => [field, item[field] ?? null]));
}

// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var yaml_dist = __webpack_require__(8815);
;// CONCATENATED MODULE: ./src/core/config/identity.ts
/**
 * Which target record each base record is (issue #11, "Identity across
 * instances"): by primary key in the uuid collections (keys carry over when a
 * record was created by promotion), then by a natural key whose references are
 * already mapped to the target's keys. Natural keys are not unique in Directus
 * (docs/directus-config-facts.md C12), so two candidates are an error that
 * names both: the matcher never guesses.
 */




/** Two or more candidates for one record. */
class AmbiguousMatchError extends ExpectedError {
    name = 'AmbiguousMatchError';
}
/** The references each natural key uses, to the collection they point to. */
const REFERENCES = {
    access: { role: 'roles', policy: 'policies' },
    permissions: { policy: 'policies' },
    operations: { flow: 'flows' },
    panels: { dashboard: 'dashboards' },
    presets: { role: 'roles' }
};
/**
 * Matches the records of `collections` (and of what they reference, when
 * read): in apply order, so references inside natural keys are mapped first.
 */
function matchConfig(base, target, collections) {
    const table = { matches: {}, unmatched: {}, keys: {} };
    const ambiguities = [];
    const wanted = new Set(collections);
    for (const collection of CONFIG_COLLECTIONS) {
        const baseItems = base.items[collection];
        const targetItems = target.items[collection];
        if (!wanted.has(collection) || !baseItems || !targetItems)
            continue;
        matchCollection(collection, baseItems, targetItems, base, target, table, ambiguities);
    }
    if (ambiguities.length > 0) {
        throw new AmbiguousMatchError(`configuration records match more than one record (Directus does not keep these names unique): ${ambiguities.join('; ')}. ` +
            'Rename or remove one of them, on the base or the target, so each record has one counterpart');
    }
    return table;
}
function matchCollection(collection, baseItems, targetItems, base, target, table, ambiguities) {
    const matches = baseItems.map((item) => ({ base: item }));
    const taken = new Set();
    if (collection === 'settings') {
        const [only] = targetItems;
        for (const match of matches)
            if (only)
                Object.assign(match, { target: only, matchedBy: 'key' });
        if (only)
            taken.add(only);
    }
    else if (!INTEGER_KEYED.has(collection)) {
        const byId = new Map(targetItems.map((item) => [item['id'], item]));
        for (const match of matches) {
            const found = byId.get(match.base['id']);
            if (found) {
                match.target = found;
                match.matchedBy = 'key';
                taken.add(found);
            }
        }
    }
    const naturalOfBase = (item) => naturalKey(collection, item, base, (ref, key) => table.keys[ref]?.get(key) ?? key);
    const naturalOfTarget = (item) => naturalKey(collection, item, target, (_ref, key) => key);
    const candidates = groupBy(targetItems.filter((item) => !taken.has(item)), naturalOfTarget);
    const open = matches.filter((match) => !match.target);
    const rivals = groupBy(open.map((match) => match.base), naturalOfBase);
    for (const match of open) {
        const natural = naturalOfBase(match.base);
        const found = candidates.get(natural) ?? [];
        const sameOnBase = rivals.get(natural) ?? [];
        if (found.length === 1 && sameOnBase.length === 1) {
            match.target = found[0];
            match.matchedBy = 'natural-key';
        }
        else if (found.length > 0 && sameOnBase[0] === match.base) {
            const names = [
                ...sameOnBase.map((item) => `base ${describeRecord(collection, item, base)}`),
                ...found.map((item) => `target ${describeRecord(collection, item, target)}`)
            ];
            ambiguities.push(`${collection} ${labelOf(collection, match.base, base)}: ${names.join(' and ')}`);
        }
    }
    const matchedTargets = new Set(matches.flatMap((match) => (match.target ? [match.target] : [])));
    table.matches[collection] = matches;
    table.unmatched[collection] = targetItems.filter((item) => !matchedTargets.has(item));
    table.keys[collection] = new Map(matches.flatMap((match) => {
        const baseKey = match.base['id'];
        if (baseKey === undefined)
            return [];
        const targetKey = match.target?.['id'] ?? baseKey;
        return [[baseKey, targetKey]];
    }));
}
/** The natural key as canonical text; references go through `mapKey` (base records: to the target's keys). */
function naturalKey(collection, item, state, mapKey) {
    const ref = (field) => {
        const value = item[field];
        const to = REFERENCES[collection]?.[field];
        return value === null || value === undefined || !to ? (value ?? null) : mapKey(to, value);
    };
    switch (collection) {
        case 'folders':
            return json_canonicalJson(folderPath(item, state));
        case 'policies':
        case 'roles':
        case 'flows':
        case 'dashboards':
            return json_canonicalJson([item['name'] ?? null]);
        case 'access':
            return json_canonicalJson([ref('role'), item['user'] ?? null, ref('policy')]);
        case 'permissions':
            return json_canonicalJson([ref('policy'), item['collection'] ?? null, item['action'] ?? null]);
        case 'operations':
            return json_canonicalJson([ref('flow'), item['key'] ?? null]);
        case 'panels':
            return json_canonicalJson([ref('dashboard'), item['type'] ?? null, item['position_x'] ?? null, item['position_y'] ?? null]);
        case 'presets':
            return json_canonicalJson([item['collection'] ?? null, item['bookmark'] ?? null, ref('role')]);
        case 'translations':
            return json_canonicalJson([item['language'] ?? null, item['key'] ?? null]);
        case 'settings':
            return '[]';
    }
}
/** A folder's names from the root down; a cycle or a missing parent ends the path. */
function folderPath(item, state) {
    const byId = new Map((state.items.folders ?? []).map((folder) => [folder['id'], folder]));
    const names = [];
    const seen = new Set();
    for (let current = item; current && !seen.has(current['id']); current = byId.get(current['parent'])) {
        seen.add(current['id']);
        names.unshift(String(current['name'] ?? ''));
    }
    return names;
}
/** How people recognise a record: e.g. `policy "Editors"`, `permission Editors · articles · read`. */
function describeRecord(collection, item, state) {
    const name = (ref, key) => {
        if (key === null || key === undefined)
            return ref === 'roles' ? 'no role' : 'none';
        const found = state.items[ref]?.find((other) => other['id'] === key);
        return found ? `"${String(found['name'] ?? found['id'])}"` : String(key);
    };
    const id = item['id'] === undefined ? '' : ` (${String(item['id'])})`;
    switch (collection) {
        case 'folders':
            return `folder "${folderPath(item, state).join('/')}"${id}`;
        case 'policies':
            return `policy "${String(item['name'])}"${id}`;
        case 'roles':
            return `role "${String(item['name'])}"${id}`;
        case 'flows':
            return `flow "${String(item['name'])}"${id}`;
        case 'dashboards':
            return `dashboard "${String(item['name'])}"${id}`;
        case 'access':
            return `access of ${item['role'] ? `role ${name('roles', item['role'])}` : 'the public'} to policy ${name('policies', item['policy'])}${id}`;
        case 'permissions':
            return `permission ${name('policies', item['policy'])} · ${String(item['collection'])} · ${String(item['action'])}${id}`;
        case 'operations':
            return `operation "${String(item['key'])}" of flow ${name('flows', item['flow'])}${id}`;
        case 'panels':
            return `panel ${String(item['type'])}${item['name'] ? ` "${String(item['name'])}"` : ''} at ${String(item['position_x'])},${String(item['position_y'])} of dashboard ${name('dashboards', item['dashboard'])}${id}`;
        case 'presets':
            return `preset ${item['bookmark'] ? `"${String(item['bookmark'])}"` : '(default)'} of ${String(item['collection'])} for ${item['role'] ? `role ${name('roles', item['role'])}` : 'everyone'}${id}`;
        case 'translations':
            return `translation ${String(item['language'])} · ${String(item['key'])}${id}`;
        case 'settings':
            return 'settings';
    }
}
/** The record as the report names it, without its key: `policy "Editors"`. */
function labelOf(collection, item, state) {
    return describeRecord(collection, { ...item, id: undefined }, state);
}
function groupBy(items, keyOf) {
    const groups = new Map();
    for (const item of items) {
        const key = keyOf(item);
        groups.set(key, [...(groups.get(key) ?? []), item]);
    }
    return groups;
}

;// CONCATENATED MODULE: ./src/core/config/overrides.ts
/**
 * The overrides file (issue #11, "Per-environment values"): checked in, one per
 * target, YAML or JSON. It replaces chosen values of the base's records before
 * they are compared with the target, e.g. a webhook URL, and may name an
 * environment variable for a secret (`$env:NAME`):
 *
 *     flows:
 *       Notify Slack:                         # a record: its id, or its name as below
 *         options.url: https://hooks.example.com/production
 *     operations:
 *       Notify Slack / post:                  # flow name / operation key
 *         options.headers[0].value: $env:SLACK_TOKEN
 *     settings:
 *       project_name: Production
 *
 * Records are named by id or by: name (policies, roles, flows, dashboards), path
 * (folders, `Parent/Child`), `flow / key` (operations), `dashboard / name`
 * (panels), `policy / collection / action` (permissions), `collection / bookmark
 * / role` (presets, `default` and `everyone` for none), `language / key`
 * (translations). Settings take paths directly.
 */







class OverridesError extends ExpectedError {
    name = 'OverridesError';
}
const ENV_REFERENCE = /^\$env:([A-Za-z_][A-Za-z0-9_]*)$/;
function parseOverrides(text, source) {
    let document;
    try {
        document = (0,yaml_dist.parse)(text);
    }
    catch (error) {
        throw new OverridesError(`${source} is neither YAML nor JSON: ${error.message.split('\n')[0]}`);
    }
    if (document === null || document === undefined)
        return { source, entries: [] };
    if (!isPlainObject(document))
        throw new OverridesError(`${source} must map collections (e.g. flows, operations, settings) to overrides`);
    const problems = [];
    const entries = [];
    for (const [name, records] of Object.entries(document)) {
        const collection = CONFIG_COLLECTIONS.find((known) => known === name);
        if (!collection) {
            problems.push(`"${name}" is not a configuration collection (${CONFIG_COLLECTIONS.join(', ')})`);
            continue;
        }
        if (!isPlainObject(records)) {
            problems.push(`${name} must be a map`);
            continue;
        }
        const byRecord = collection === 'settings' ? [['', records]] : Object.entries(records);
        for (const [record, values] of byRecord) {
            if (!isPlainObject(values)) {
                problems.push(`${name} "${record}" must map paths to values`);
                continue;
            }
            for (const [pathText, raw] of Object.entries(values)) {
                const path = parsePath(pathText);
                if (!path) {
                    problems.push(`${name}${record ? ` "${record}"` : ''}: "${pathText}" is not a path (e.g. options.url, options.headers[0].value)`);
                    continue;
                }
                const env = typeof raw === 'string' ? ENV_REFERENCE.exec(raw) : null;
                entries.push({
                    collection,
                    record,
                    path,
                    pathText,
                    value: env ? { kind: 'env', name: env[1] } : { kind: 'literal', value: raw }
                });
            }
        }
    }
    if (problems.length > 0)
        throw new OverridesError(`${source}: ${problems.join('; ')}`);
    return { source, entries };
}
/** How an overrides file names a base record, besides its id. */
function overrideName(collection, item, state) {
    const nameOf = (ref, key, none) => key === null || key === undefined ? none : String(state.items[ref]?.find((other) => other['id'] === key)?.['name'] ?? key);
    const text = (value) => String(value ?? '');
    switch (collection) {
        case 'folders':
            return folderPath(item, state).join('/');
        case 'operations':
            return `${nameOf('flows', item['flow'], '')} / ${text(item['key'])}`;
        case 'panels':
            return `${nameOf('dashboards', item['dashboard'], '')} / ${text(item['name'])}`;
        case 'permissions':
            return `${nameOf('policies', item['policy'], '')} / ${text(item['collection'])} / ${text(item['action'])}`;
        case 'presets':
            return `${text(item['collection'])} / ${item['bookmark'] === null || item['bookmark'] === undefined ? 'default' : text(item['bookmark'])} / ${nameOf('roles', item['role'], 'everyone')}`;
        case 'translations':
            return `${text(item['language'])} / ${text(item['key'])}`;
        case 'access':
            return text(item['id']);
        case 'settings':
            return '';
        default:
            return text(item['name']);
    }
}
/**
 * Binds each override to the base record it names and resolves `$env:` values.
 * Overrides of collections not promoted are ignored (one file serves every
 * `promote`); a record, path or variable that is not there is an error naming it.
 */
function resolveOverrides(overrides, base, table, 
/** The fields compared in each promoted collection. */
compared, env) {
    const problems = [];
    const resolved = new Map();
    for (const entry of overrides.entries) {
        const fields = compared[entry.collection];
        const matches = table.matches[entry.collection];
        if (!fields || !matches)
            continue;
        const where = `${entry.collection}${entry.record ? ` "${entry.record}"` : ''}`;
        const records = matches
            .map((match) => match.base)
            .filter((item) => entry.collection === 'settings' ||
            String(item['id']) === entry.record ||
            overrideName(entry.collection, item, base) === entry.record);
        if (records.length !== 1) {
            problems.push(records.length === 0 ? `${where}: no such record on the base` : `${where} names ${records.length} records; name it by id`);
            continue;
        }
        const record = records[0];
        const [field] = entry.path;
        const parent = valueAt(record, entry.path.slice(0, -1));
        if (entry.collection === 'settings' && SETTINGS_NEVER_PROMOTED.includes(String(field))) {
            problems.push(`settings "${entry.pathText}" is never promoted (environment-specific, secret, licence or a reference), so it cannot be overridden`);
            continue;
        }
        if (typeof field !== 'string' ||
            !fields.includes(field) ||
            (entry.path.length > 1 && (typeof parent !== 'object' || parent === null))) {
            problems.push(`${where}: "${entry.pathText}" is not a path of the record (fields: ${fields.join(', ')})`);
            continue;
        }
        let value;
        if (entry.value.kind === 'env') {
            value = env[entry.value.name];
            if (value === undefined) {
                problems.push(`${where} "${entry.pathText}": the environment variable ${entry.value.name} is not set`);
                continue;
            }
        }
        else {
            value = entry.value.value;
        }
        resolved.set(record, [...(resolved.get(record) ?? []), { path: entry.path, value, fromEnvironment: entry.value.kind === 'env' }]);
    }
    if (problems.length > 0)
        throw new OverridesError(`${overrides.source}: ${problems.join('; ')}`);
    return resolved;
}

;// CONCATENATED MODULE: ./src/core/config/diff.ts
/**
 * One field of a record, target against desired (the base's value, references
 * rewritten, overrides applied): what is sent and what the report shows. A
 * secret the target already has is kept (issue #11: the base's value is not
 * copied over it) unless the overrides file sets it; a secret never appears
 * in a FieldChange's before or after.
 */


function planField(field, targetValue, desired, rules) {
    let value = desired;
    const kept = [];
    for (const path of secrets_secretLeaves(rules.collection, [field], targetValue)) {
        const text = secrets_formatPath(path);
        if (isOverridden(text, rules.overridden))
            continue;
        const relative = path.slice(1);
        const wanted = valueAt(value, relative);
        const own = valueAt(targetValue, relative);
        if (wanted === undefined || wanted === null || wanted === '' || isContainer(wanted) || same(wanted, own))
            continue;
        value = withValueAt(value, relative, own);
        kept.push({ path: text, secret: 'kept' });
    }
    const changed = !same(targetValue, value);
    return { value, changed, changes: [...(changed ? leafChanges([field], targetValue, value, rules) : []), ...kept] };
}
function same(a, b) {
    return json_canonicalJson(a ?? null) === json_canonicalJson(b ?? null);
}
function isOverridden(path, overridden) {
    for (const set of overridden)
        if (path === set || path.startsWith(`${set}.`) || path.startsWith(`${set}[`))
            return true;
    return false;
}
function isSecret(path, value, rules) {
    const text = secrets_formatPath(path);
    return isSecretPath(rules.collection, path, value) || [...rules.fromEnvironment].some((set) => text === set || text.startsWith(`${set}.`));
}
function diff_containsSecret(path, value, rules) {
    if (isSecret(path, value, rules))
        return true;
    if (Array.isArray(value))
        return value.some((item, index) => diff_containsSecret([...path, index], item, rules));
    if (isPlainObject(value))
        return Object.entries(value).some(([key, item]) => diff_containsSecret([...path, key], item, rules));
    return false;
}
/** Changed leaves where a secret is involved, else the smallest whole value that changed. */
function leafChanges(path, before, after, rules) {
    if (same(before, after))
        return [];
    if (isPlainObject(before) && isPlainObject(after)) {
        const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
        return keys.flatMap((key) => leafChanges([...path, key], before[key], after[key], rules));
    }
    if (Array.isArray(before) && Array.isArray(after)) {
        return Array.from({ length: Math.max(before.length, after.length) }, (_, index) => leafChanges([...path, index], before[index], after[index], rules)).flat();
    }
    const text = secrets_formatPath(path);
    if (isSecret(path, before, rules) || isSecret(path, after, rules)) {
        return [{ path: text, secret: isOverridden(text, rules.overridden) ? 'override' : 'changed' }];
    }
    if (!diff_containsSecret(path, before, rules) && !diff_containsSecret(path, after, rules)) {
        return [{ path: text, ...(before === undefined ? {} : { before }), ...(after === undefined ? {} : { after }) }];
    }
    // A container holding secrets against something else: show it leaf by leaf, so the secrets stay out.
    const [container, other] = (isContainer(after) ? [after, before] : [before, after]);
    const inner = Object.entries(container).flatMap(([key, item]) => {
        const child = [...path, Array.isArray(container) ? Number(key) : key];
        return container === after ? leafChanges(child, undefined, item, rules) : leafChanges(child, item, undefined, rules);
    });
    return isContainer(other) || other === undefined
        ? inner
        : [{ path: text, ...(container === after ? { before: other } : { after: other }) }, ...inner];
}

;// CONCATENATED MODULE: ./src/core/config/lockout.ts
/**
 * The lockout guard (issue #11): apply refuses a plan that would take admin
 * access away from the identity it runs as. Directus guards only the last
 * admin (docs/directus-config-facts.md H1, H2), not the caller. Admin comes
 * from a policy with `admin_access`, linked to the user's role, one of the
 * role's ancestors, or the user itself; `ip_access` can exclude the runner, so
 * a changed `ip_access` on a granting policy counts as losing it.
 */


function findLockout(identity, target, plan) {
    const before = grantingPolicies(identity, target);
    if (before.size === 0)
        return undefined;
    const after = simulatePlan(target, plan.batches);
    const ipAccess = (state, policy) => json_canonicalJson(state.items.policies?.find((item) => item['id'] === policy)?.['ip_access'] ?? null);
    const kept = [...grantingPolicies(identity, after)].filter((policy) => !before.has(policy) || ipAccess(target, policy) === ipAccess(after, policy));
    if (kept.length > 0)
        return undefined;
    const chain = new Set(roleChain(identity, target));
    const culprits = plan.batches
        .flatMap((batch) => batch.operations)
        .filter((operation) => {
        if (operation.collection === 'policies')
            return before.has(operation.key);
        if (operation.collection === 'roles')
            return chain.has(operation.key);
        if (operation.collection === 'access')
            return before.has(operation.before?.['policy']) || operation.kind === 'update';
        return false;
    })
        .map((operation) => `${operation.kind} ${operation.label}`);
    return (`the plan would take admin access away from the user apply runs as on the target (${identity.user}): ` +
        `${culprits.length > 0 ? culprits.join(', ') : 'no policy with admin access would remain linked to it'}. ` +
        'Keep an admin policy linked to that user or its role on the base, or apply as another admin');
}
/** The policies with admin access linked to the identity in `state`. */
function grantingPolicies(identity, state) {
    const roles = new Set(roleChain(identity, state));
    const linked = new Set(identity.userPolicies);
    for (const row of state.items.access ?? [])
        if (row['role'] !== null && roles.has(row['role']))
            linked.add(row['policy']);
    return new Set((state.items.policies ?? [])
        .filter((policy) => linked.has(policy['id']) && policy['admin_access'] === true)
        .map((policy) => policy['id']));
}
/** The identity's role and its ancestors through `parent`, as far as they exist. */
function roleChain(identity, state) {
    const byId = new Map((state.items.roles ?? []).map((role) => [role['id'], role]));
    const chain = [];
    for (let role = byId.get(identity.role); role && !chain.includes(role['id']); role = byId.get(role['parent']))
        chain.push(role['id']);
    return chain;
}

;// CONCATENATED MODULE: ./src/core/config/order.ts
/**
 * Apply order and batching (issue #11, "Order"): creates and updates in the
 * order of CONFIG_COLLECTIONS, deletes in the reverse order, one batch per
 * collection and kind (one request: every system endpoint takes an array on
 * POST, PATCH and DELETE, docs/directus-config-facts.md B4).
 *
 * Unique links without ON DELETE (`resolve`, `reject`, `flows.operation`: C3,
 * C4, C5) get their own steps: a link that moves or whose record goes is
 * nulled first (unlink), creates run from the end of a chain so each can set
 * its links (C2), and a flow's first operation is linked once the operation
 * exists.
 */


/** Unique link fields, nulled before they move. */
const UNIQUE_LINKS = {
    flows: ['operation'],
    operations: ['resolve', 'reject']
};
/** References to the same collection: creates are ordered so the referenced record exists first. */
const SELF_LINKS = {
    folders: ['parent'],
    roles: ['parent'],
    operations: ['resolve', 'reject']
};
function orderBatches(operations, target) {
    const of = (collection, kind) => operations.filter((operation) => operation.collection === collection && operation.kind === kind);
    const createdOperations = new Set(of('operations', 'create').map((operation) => operation.key));
    const batches = [];
    const push = (collection, kind, list) => {
        if (list.length > 0)
            batches.push({ collection, kind, operations: list });
    };
    let flowLinks = [];
    for (const collection of CONFIG_COLLECTIONS) {
        let creates = of(collection, 'create');
        let updates = of(collection, 'update');
        push(collection, 'unlink', unlinks(collection, operations, target));
        if (collection === 'flows') {
            // flows.operation is a unique index without a foreign key (C4); it is set once the operation exists.
            ;
            ({ creates, updates, links: flowLinks } = deferFlowLinks(creates, updates, createdOperations));
        }
        const ordered = chainOrder(collection, creates);
        push(collection, 'create', ordered.creates);
        push(collection, 'update', [...updates, ...ordered.links]);
        if (collection === 'operations')
            push('flows', 'update', flowLinks);
    }
    for (const collection of [...CONFIG_COLLECTIONS].reverse())
        push(collection, 'delete', of(collection, 'delete'));
    return batches;
}
/**
 * The target's links to null first: of records that go, of records whose link
 * changes, and of records another record's new link would collide with.
 */
function unlinks(collection, operations, target) {
    const fields = UNIQUE_LINKS[collection];
    if (!fields)
        return [];
    const mine = operations.filter((operation) => operation.collection === collection);
    const deleted = new Set(mine.filter((operation) => operation.kind === 'delete').map((operation) => operation.key));
    const updated = new Map(mine.flatMap((operation) => (operation.kind === 'update' ? [[operation.key, operation.values]] : [])));
    const claimed = new Map(fields.map((field) => [field, new Set()]));
    for (const operation of mine) {
        if (operation.kind !== 'create' && operation.kind !== 'update')
            continue;
        for (const field of fields)
            if (operation.values[field] !== undefined && operation.values[field] !== null)
                claimed.get(field)?.add(operation.values[field]);
    }
    const result = [];
    for (const item of target.items[collection] ?? []) {
        const key = item['id'];
        // Deleting a flow nulls its operations' links itself (C7); a flow's own `operation` goes with the row.
        if (deleted.has(key) && collection === 'flows')
            continue;
        const values = updated.get(key);
        const nulled = fields.filter((field) => {
            const current = item[field];
            if (current === null || current === undefined)
                return false;
            if (deleted.has(key))
                return true;
            if (values && field in values)
                return values[field] !== current;
            return claimed.get(field)?.has(current) === true;
        });
        if (nulled.length > 0)
            result.push({ collection, kind: 'unlink', key, fields: nulled, label: labelOf(collection, item, target), before: item });
    }
    return result;
}
function deferFlowLinks(creates, updates, createdOperations) {
    const links = [];
    const link = (operation, first) => ({
        collection: 'flows',
        kind: 'update',
        key: operation.key,
        matchedBy: operation.kind === 'update' ? operation.matchedBy : 'key',
        label: operation.label,
        values: { operation: first },
        changes: [
            {
                path: 'operation',
                ...(operation.kind === 'update' ? { before: operation.before?.['operation'] ?? null } : { before: null }),
                after: first
            }
        ]
    });
    const laterCreates = creates.map((operation) => {
        const first = operation.values['operation'];
        if (!createdOperations.has(first))
            return operation;
        links.push(link(operation, first));
        return { ...operation, values: { ...operation.values, operation: null } };
    });
    const laterUpdates = updates.flatMap((operation) => {
        const first = operation.values['operation'];
        if (!createdOperations.has(first))
            return [operation];
        links.push(link(operation, first));
        const { operation: _moved, ...rest } = operation.values;
        const changes = operation.changes.filter((change) => change.path !== 'operation');
        return Object.keys(rest).length === 0 ? [] : [{ ...operation, values: rest, changes }];
    });
    return { creates: laterCreates, updates: laterUpdates, links };
}
/**
 * Creates whose self-links point at other creates, the referenced first (the
 * end of an operation chain, a parent role or folder). A cycle, which Directus'
 * editor cannot make but the API accepts, is broken by linking afterwards.
 */
function chainOrder(collection, creates) {
    const fields = SELF_LINKS[collection];
    if (!fields || creates.length < 2)
        return { creates: [...creates], links: [] };
    const byKey = new Map(creates.map((operation) => [operation.key, operation]));
    const state = new Map();
    const ordered = [];
    const links = [];
    const visit = (operation) => {
        state.set(operation.key, 'visiting');
        let values = operation.values;
        for (const field of fields) {
            const next = byKey.get(values[field]);
            if (!next)
                continue;
            if (state.get(next.key) === 'visiting') {
                values = { ...values, [field]: null };
                links.push({
                    collection,
                    kind: 'update',
                    key: operation.key,
                    matchedBy: 'key',
                    label: operation.label,
                    values: { [field]: next.key },
                    changes: [{ path: field, before: null, after: next.key }]
                });
            }
            else if (!state.has(next.key)) {
                visit(next);
            }
        }
        state.set(operation.key, 'done');
        ordered.push(values === operation.values ? operation : { ...operation, values });
    };
    for (const operation of creates)
        if (!state.has(operation.key))
            visit(operation);
    return { creates: ordered, links };
}

;// CONCATENATED MODULE: ./src/core/config/risks.ts
/**
 * Escalations in a configuration plan (issue #11): operations that give people more than they had. They are
 * marked risky in the report and the outputs; they never block the apply (destructive deletes and the lockout
 * guard do that). Pure: the planner passes its operations and both states.
 *
 * The rules, and why each is drawn where it is:
 * - `admin-access` / `app-access`: a policy created with the flag on, or updated from off to on. Also an access
 *   row that links a role or user to a policy that has the flag (after the plan): linking is how a policy
 *   reaches people, so a new link to the admin policy is as much an escalation as the flag itself.
 * - `system-collection`: a new permission on a `directus_*` collection. System collections hold users, roles,
 *   policies, settings and files: access to them is access to the access model. Updates are left to the
 *   filter rule: the permission's natural key (policy, collection, action) cannot change in an update.
 * - `public-access`: a new permission on the public policy, or a new link of a policy to the public (an access row
 *   with no role and no user): both give what they grant to everyone, without signing in.
 * - `filter-widened`: a permission's item filter (`permissions`) or its `validation` goes from a restricting
 *   rule to none (`null` or `{}`, which Directus reads alike: every item, any value). Also a permission
 *   created without a filter for a collection and action that the target grants so far only with filters
 *   (on any policy, not counting those the plan deletes): it departs from how the target restricts that
 *   data. A create without a filter where the target has no rule, or an unfiltered one, is the ordinary way
 *   to grant access and is not flagged, or every new permission would be "risky" and none would stand out.
 *   A filter replaced by another non-empty filter is not judged (no rule can tell wider from narrower in
 *   general); the report shows the change.
 */

const FLAG_RISKS = {
    admin_access: { kind: 'admin-access', grants: 'admin access (everything, on every collection)' },
    app_access: { kind: 'app-access', grants: 'app access (the Data Studio)' }
};
const RULE_FIELDS = ['permissions', 'validation'];
const RULE_WORDS = { permissions: 'item filter', validation: 'validation' };
function configRisks(operations, _base, target) {
    const targetItems = new TargetIndex(target);
    const policiesAfter = policyFlagsAfter(operations, targetItems);
    const deletedPermissions = new Set(operations
        .filter((operation) => operation.collection === 'permissions' && operation.kind === 'delete')
        .map((operation) => keyOf(operation.key)));
    const risks = [];
    for (const operation of operations) {
        if (operation.kind !== 'create' && operation.kind !== 'update')
            continue;
        const before = operation.kind === 'update' ? (targetItems.find(operation.collection, operation.key) ?? operation.before) : undefined;
        const after = { ...before, ...operation.values };
        switch (operation.collection) {
            case 'policies':
                for (const flag of Object.keys(FLAG_RISKS)) {
                    if (after[flag] === true && before?.[flag] !== true) {
                        const { kind, grants } = FLAG_RISKS[flag];
                        const how = operation.kind === 'create' ? 'is created with' : 'gets';
                        risks.push({ kind, subject: operation.label, text: `${how} ${grants}: everyone it is linked to has it` });
                    }
                }
                break;
            case 'access': {
                const policyChanged = operation.kind === 'create' || (before !== undefined && before['policy'] !== after['policy']);
                if (policyChanged && isPublicLink(after)) {
                    risks.push({
                        kind: 'public-access',
                        subject: operation.label,
                        text: 'links a policy to the public: everyone gets what it grants, without signing in'
                    });
                }
                const flags = policyChanged ? policiesAfter.get(keyOf(after['policy'])) : undefined;
                for (const flag of Object.keys(FLAG_RISKS)) {
                    if (flags?.[flag] === true) {
                        const { kind, grants } = FLAG_RISKS[flag];
                        risks.push({ kind, subject: operation.label, text: `links ${whoOf(after)} to a policy with ${grants}` });
                    }
                }
                break;
            }
            case 'permissions':
                risks.push(...permissionRisks(operation, before, after, targetItems, deletedPermissions));
                break;
            default:
                break;
        }
    }
    return risks;
}
function permissionRisks(operation, before, after, target, deleted) {
    const risks = [];
    const collection = typeof after['collection'] === 'string' ? after['collection'] : '';
    if (operation.kind === 'create' && collection.startsWith('directus_')) {
        risks.push({
            kind: 'system-collection',
            subject: operation.label,
            text: `grants ${String(after['action'])} on the system collection ${collection}, part of who may do what`
        });
    }
    if (operation.kind === 'create' && after['policy'] === PUBLIC_POLICY_ID) {
        risks.push({
            kind: 'public-access',
            subject: operation.label,
            text: `grants ${String(after['action'])} on ${collection} to everyone, without signing in (the public policy)`
        });
    }
    if (operation.kind === 'update' && before !== undefined) {
        for (const field of RULE_FIELDS) {
            if (field in operation.values && restricts(before[field]) && !restricts(after[field])) {
                risks.push({
                    kind: 'filter-widened',
                    subject: operation.label,
                    text: `its ${RULE_WORDS[field]} is removed: it now applies to every item where it was restricted`
                });
            }
        }
    }
    if (operation.kind === 'create' && !restricts(after['permissions'])) {
        const others = target
            .all('permissions')
            .filter((item) => item['collection'] === after['collection'] && item['action'] === after['action'])
            .filter((item) => !deleted.has(keyOf(item['id'])));
        if (others.length > 0 && others.every((item) => restricts(item['permissions']))) {
            risks.push({
                kind: 'filter-widened',
                subject: operation.label,
                text: `allows ${String(after['action'])} on every item of ${collection}, which the target allows so far only with an item filter`
            });
        }
    }
    return risks;
}
/** A rule restricts unless it is absent, null or an empty object (Directus reads all three as "no rule"). */
function restricts(rule) {
    if (rule === undefined || rule === null)
        return false;
    if (typeof rule === 'object' && !Array.isArray(rule))
        return Object.keys(rule).length > 0;
    return true;
}
/** admin_access and app_access of every policy once the plan is applied: the target's, then the plan's writes. */
function policyFlagsAfter(operations, target) {
    const flags = new Map();
    for (const policy of target.all('policies'))
        flags.set(keyOf(policy['id']), policy);
    for (const operation of operations) {
        if (operation.collection !== 'policies')
            continue;
        const key = keyOf(operation.key ?? (operation.kind === 'create' ? operation.values['id'] : undefined));
        if (operation.kind === 'delete')
            flags.delete(key);
        else if (operation.kind === 'create' || operation.kind === 'update')
            flags.set(key, { ...flags.get(key), ...operation.values });
    }
    return flags;
}
function isPublicLink(access) {
    return (access['role'] === null || access['role'] === undefined) && (access['user'] === null || access['user'] === undefined);
}
function whoOf(access) {
    if (access['role'] !== null && access['role'] !== undefined)
        return 'a role';
    if (access['user'] !== null && access['user'] !== undefined)
        return 'a user';
    return 'the public (no role, no user)';
}
function keyOf(value) {
    return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}
/** The target's records by collection and key. */
class TargetIndex {
    state;
    byKey = new Map();
    constructor(state) {
        this.state = state;
        for (const [collection, items] of Object.entries(state.items)) {
            for (const item of items ?? [])
                this.byKey.set(`${collection}\u0000${keyOf(item['id'])}`, item);
        }
    }
    find(collection, key) {
        return this.byKey.get(`${collection}\u0000${keyOf(key)}`);
    }
    all(collection) {
        return this.state.items[collection] ?? [];
    }
}

;// CONCATENATED MODULE: ./src/core/config/plan.ts











/** References between records, rewritten to the target's keys. */
const plan_REFERENCES = {
    folders: { parent: 'folders' },
    roles: { parent: 'roles' },
    access: { role: 'roles', policy: 'policies' },
    permissions: { policy: 'policies' },
    flows: { operation: 'operations', folder: 'folders' },
    operations: { resolve: 'operations', reject: 'operations', flow: 'flows' },
    panels: { dashboard: 'dashboards' },
    presets: { role: 'roles' }
};
class ConfigPlanError extends ExpectedError {
    name = 'ConfigPlanError';
}
function planConfig(base, target, options) {
    const collections = plannedCollections(options.parts);
    const referenced = referencedCollections(options.parts);
    const table = matchConfig(base, target, [...collections, ...referenced]);
    checkReferencedRecords(table, referenced, base);
    const compared = {};
    for (const collection of collections)
        compared[collection] = comparedFields(collection, base.version, target.version, options.parts);
    const overrides = options.overrides
        ? resolveOverrides(options.overrides, base, table, compared, options.env)
        : new Map();
    // Referenced only: the fingerprint covers the names matching relied on.
    for (const collection of referenced)
        compared[collection] = ['name'];
    const operations = [];
    for (const collection of collections) {
        const fields = compared[collection] ?? [];
        for (const match of table.matches[collection] ?? []) {
            const rewritten = rewrite(collection, match.base, table, fields);
            const { desired, rules } = withOverrides(collection, rewritten, overrides.get(match.base) ?? []);
            if (match.target) {
                const update = planUpdate(collection, match.target, desired, fields, rules);
                if (update)
                    operations.push({ ...update, matchedBy: match.matchedBy ?? 'key', label: labelOf(collection, match.target, target) });
            }
            else {
                const key = INTEGER_KEYED.has(collection) ? undefined : match.base['id'];
                operations.push(planCreate(collection, key, desired, fields, rules, labelOf(collection, match.base, base)));
            }
        }
        if (options.mode === 'mirror') {
            for (const item of table.unmatched[collection] ?? []) {
                const remove = {
                    collection,
                    kind: 'delete',
                    key: item['id'],
                    label: labelOf(collection, item, target),
                    before: item
                };
                operations.push(remove);
            }
        }
    }
    const withLicence = target.entitlements?.customPermissionRules === false
        ? operations.map((operation) => sendPermissionFields(operation, target))
        : operations;
    const batches = orderBatches(withLicence, target);
    const plan = {
        parts: options.parts,
        mode: options.mode,
        batches,
        digest: configDigest(batches, options.secretHash),
        fingerprints: [],
        risks: configRisks(withLicence, base, target),
        destructive: withLicence.some((operation) => operation.kind === 'delete' && ['policies', 'roles', 'flows'].includes(operation.collection)),
        limits: [...target.limits, ...licenceLimits(withLicence, target)],
        related: relatedRecords(withLicence, target),
        compared
    };
    const lockout = options.identity && collections.includes('policies') ? findLockout(options.identity, target, plan) : undefined;
    return { ...plan, fingerprints: planFingerprints(target, plan, options.secretHash), ...(lockout ? { lockout } : {}) };
}
/** The base's record in the target's terms: compared fields only, references rewritten. */
function rewrite(collection, item, table, fields) {
    const record = {};
    const references = plan_REFERENCES[collection] ?? {};
    for (const field of fields) {
        const value = item[field] ?? null;
        const to = references[field];
        record[field] = to && value !== null ? mapKey(table, to, value) : value;
    }
    // References inside options that nothing checks (F1): a trigger operation runs another flow by id
    // (options.flow); an item operation runs with a role's permissions (options.permissions, unless $trigger,
    // $public or $full), mapped when the roles were read.
    const options = record['options'];
    if (collection === 'operations' && typeof options === 'object' && options !== null) {
        const { flow, permissions } = options;
        if (record['type'] === 'trigger' && typeof flow === 'string')
            record['options'] = { ...options, flow: mapKey(table, 'flows', flow) };
        if (String(record['type']).startsWith('item-') && typeof permissions === 'string' && !permissions.startsWith('$')) {
            record['options'] = { ...options, permissions: mapKey(table, 'roles', permissions) };
        }
    }
    return record;
}
function mapKey(table, collection, key) {
    return table.keys[collection]?.get(key) ?? key;
}
function withOverrides(collection, record, overrides) {
    let desired = record;
    const overridden = new Set();
    const fromEnvironment = new Set();
    for (const override of overrides) {
        desired = withValueAt(desired, override.path, override.value);
        overridden.add(secrets_formatPath(override.path));
        if (override.fromEnvironment)
            fromEnvironment.add(secrets_formatPath(override.path));
    }
    const rules = { collection, overridden, fromEnvironment };
    return { desired, rules };
}
function planUpdate(collection, current, desired, fields, rules) {
    const values = {};
    const changes = [];
    for (const field of fields) {
        const planned = planField(field, current[field], desired[field], rules);
        if (planned.changed)
            values[field] = planned.value;
        changes.push(...planned.changes);
    }
    // Only kept secrets differing is no change: nothing would be sent.
    if (Object.keys(values).length === 0)
        return undefined;
    return { collection, kind: 'update', key: (current['id'] ?? 1), values, changes, before: current };
}
/** A create carries the base's uuid over (B1), so later promotions match it by key; integer keys are the target's to give. */
function planCreate(collection, key, desired, fields, rules, label) {
    const values = {};
    const changes = [];
    for (const field of fields) {
        const planned = planField(field, undefined, desired[field], rules);
        values[field] = planned.value;
        if (planned.value !== null)
            changes.push(...planned.changes);
    }
    return {
        collection,
        kind: 'create',
        ...(key === undefined ? {} : { key }),
        label,
        values: key === undefined ? values : { id: key, ...values },
        changes
    };
}
/**
 * A preset's role is mapped even when access is not promoted: the role must
 * then exist on the target already.
 */
function checkReferencedRecords(table, referenced, base) {
    if (!referenced.includes('roles'))
        return;
    const roles = table.matches.roles ?? [];
    const missing = new Set(roles.filter((match) => !match.target).map((match) => match.base['id']));
    const presets = (base.items.presets ?? []).filter((preset) => missing.has(preset['role']));
    if (presets.length > 0) {
        const names = presets.map((preset) => labelOf('presets', preset, base));
        throw new ConfigPlanError(`${names.join(', ')} belong to roles the target does not have: promote access too, or create the roles on the target`);
    }
}
/**
 * An unlicensed 12.x refuses a permission write whose body lacks
 * `fields: ["*"]` (docs/directus-config-facts.md D1): updates send the fields too.
 */
function sendPermissionFields(operation, target) {
    if (operation.collection !== 'permissions' || operation.kind !== 'update' || 'fields' in operation.values)
        return operation;
    const current = target.items.permissions?.find((item) => item['id'] === operation.key);
    return { ...operation, values: { ...operation.values, fields: current?.['fields'] ?? null } };
}
/** What an unlicensed 12.x target will refuse, said before apply (D1, D4). */
function licenceLimits(operations, target) {
    const limits = [];
    if (target.entitlements?.customPermissionRules === false) {
        const refused = operations.filter((operation) => operation.collection === 'permissions' &&
            (operation.kind === 'create' || operation.kind === 'update') &&
            hasCustomRules({ ...operation.before, ...operation.values }));
        if (refused.length > 0) {
            limits.push({
                collection: 'permissions',
                text: `the target has no licence for custom permission rules and will refuse ${refused.length} of the permission writes (403 RESOURCE_RESTRICTED): ${refused.map((operation) => operation.label).join(', ')}`
            });
        }
    }
    const allowed = target.entitlements?.activeFlows;
    if (allowed !== undefined) {
        const active = activeFlowsAfter(operations, target);
        if (active > allowed) {
            limits.push({
                collection: 'flows',
                text: `the plan leaves ${active} active flows; the target's licence allows ${allowed} (403 LIMIT_EXCEEDED)`
            });
        }
    }
    return limits;
}
/** D1: fields without "*", a filter, a validation or presets. */
function hasCustomRules(permission) {
    const fields = permission['fields'];
    const nonEmpty = (value) => value !== null && value !== undefined && json_canonicalJson(value) !== '{}' && json_canonicalJson(value) !== '[]';
    return (!(Array.isArray(fields) && fields.includes('*')) ||
        nonEmpty(permission['permissions']) ||
        nonEmpty(permission['validation']) ||
        nonEmpty(permission['presets']));
}
function activeFlowsAfter(operations, target) {
    const status = new Map((target.items.flows ?? []).map((flow) => [flow['id'], flow['status']]));
    for (const operation of operations) {
        if (operation.collection !== 'flows')
            continue;
        if (operation.kind === 'delete')
            status.delete(operation.key);
        else if (operation.kind === 'create')
            status.set(operation.key, operation.values['status'] ?? 'active');
        else if (operation.kind === 'update' && 'status' in operation.values)
            status.set(operation.key, operation.values['status']);
    }
    return [...status.values()].filter((value) => value === 'active').length;
}
/** Target records the report names but the plan leaves alone: the policy of a permission, a changed flow's other operations. */
function relatedRecords(operations, target) {
    const wanted = new Map();
    const want = (collection, key) => {
        if (key === null || key === undefined)
            return;
        wanted.set(collection, (wanted.get(collection) ?? new Set()).add(key));
    };
    for (const operation of operations) {
        const record = { ...operation.before, ...(operation.kind === 'create' || operation.kind === 'update' ? operation.values : {}) };
        for (const [field, to] of Object.entries(plan_REFERENCES[operation.collection] ?? {}))
            want(to, record[field]);
        // A flow is shown with its whole chain: the operations around a changed one, and those of a changed flow.
        const flow = operation.collection === 'operations' ? record['flow'] : operation.collection === 'flows' ? record['id'] : undefined;
        if (flow !== undefined) {
            for (const item of target.items.operations ?? [])
                if (item['flow'] === flow)
                    want('operations', item['id']);
        }
    }
    const related = {};
    for (const [collection, keys] of wanted) {
        const found = (target.items[collection] ?? []).filter((item) => keys.has(item['id']));
        if (found.length > 0)
            related[collection] = found;
    }
    return related;
}

// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
;// CONCATENATED MODULE: ./src/core/guard/config-record.ts
/**
 * The configuration part of the plan record (issue #11), and the checks apply
 * makes with it before it writes. Pure: apply reads the target and re-plans,
 * then asks these functions what it may do.
 *
 * The record is public to anyone who reads the pull request, so it never
 * holds a secret in clear: secret values in the carried batches are replaced
 * by a keyed hash (`secretHash`, keyed like the record's signature), which a
 * reader cannot test guesses against.
 */






/** The keyed hash of a secret value: HMAC-SHA256 under the record key, so nobody without it can test a guess. */
function secretHasher(key) {
    return (value) => `hmac:${(0,external_node_crypto_.createHmac)('sha256', key)
        .update(`config-secret\0${json_canonicalJson(value)}`)
        .digest('base64url')}`;
}
/** The record of a configuration plan, without its batches (see packConfigBatches). */
function configRecordOf(plan) {
    return {
        parts: plan.parts,
        mode: plan.mode,
        digest: plan.digest,
        fingerprints: plan.fingerprints,
        destructive: plan.destructive,
        ...(plan.compared ? { compared: plan.compared } : {})
    };
}
/**
 * The batches as the record carries them, gzipped: each secret replaced by its keyed hash as the digest seals
 * it (hashSecrets), and without `before`, the target's record as read, which may hold the target's secrets.
 */
function packConfigBatches(plan, secretHash) {
    const sealed = plan.batches.map((batch) => ({
        ...batch,
        operations: batch.operations.map((operation) => sealSecrets(operation, secretHash))
    }));
    return gzipSync(Buffer.from(canonicalJson(sealed)), { level: 9 }).toString('base64url');
}
/** The carried batches, secrets still sealed; undefined when the record carries none or they cannot be read. */
function unpackConfigBatches(record) {
    if (!record.batches)
        return undefined;
    try {
        const batches = JSON.parse((0,external_node_zlib_.gunzipSync)(Buffer.from(record.batches, 'base64url')).toString('utf8'));
        return Array.isArray(batches) ? batches : undefined;
    }
    catch {
        return undefined;
    }
}
/** The secret paths of an operation's values, once each: secret by their keys, or marked secret by the planner. */
function secretPaths(operation) {
    const marked = operation.changes.flatMap((change) => {
        const path = change.secret ? parsePath(change.path) : undefined;
        return path ? [path] : [];
    });
    const byText = new Map([...secrets_secretLeaves(operation.collection, [], operation.values), ...marked].map((path) => [secrets_formatPath(path), path]));
    byText.delete('');
    return [...byText.values()];
}
function sealSecrets(operation, secretHash) {
    const { before: _before, ...carried } = operation;
    if (carried.kind !== 'create' && carried.kind !== 'update')
        return carried;
    // hashSecrets finds the secret leaves itself: only the planner's own marks are added, so no secret is hashed twice.
    const leaves = new Set(secretLeaves(carried.collection, [], carried.values).map(formatPath));
    const marked = secretPaths(carried).filter((path) => !leaves.has(formatPath(path)));
    return { ...carried, values: hashSecrets(carried.collection, carried.values, marked, secretHash) };
}
/**
 * The carried operations with their secrets filled in from the operations of
 * a fresh plan (whose values come from the base, the overrides and the
 * environment as they are now), each checked against its sealed hash. A
 * secret that is not found there, or no longer has the reviewed value, makes
 * the reviewed operation impossible to apply as reviewed: what is missing.
 */
function fillSecrets(sealed, fresh, secretHash) {
    const freshByIdentity = new Map(fresh.map((operation) => [config_record_identityOf(operation), operation]));
    const batches = [];
    for (const batch of sealed) {
        const operations = [];
        for (const operation of batch.operations) {
            if (operation.kind !== 'create' && operation.kind !== 'update') {
                operations.push(operation);
                continue;
            }
            const candidate = freshByIdentity.get(config_record_identityOf(operation));
            let values = operation.values;
            if (candidate && (candidate.kind === 'create' || candidate.kind === 'update')) {
                for (const path of secretPaths(candidate)) {
                    const secret = valueAt(candidate.values, path);
                    if (secret !== undefined && valueAt(values, path) === sealedForm(secretHash(secret)))
                        values = withValueAt(values, path, secret);
                }
            }
            const left = sealedLeaf(values, []);
            if (left)
                return { missing: `the secret ${secrets_formatPath(left)} of ${operation.label}` };
            operations.push({ ...operation, values: values });
        }
        batches.push({ ...batch, operations });
    }
    return { batches };
}
/** How hashSecrets writes a sealed secret. */
function sealedForm(hash) {
    return `secret:${hash}`;
}
/** The path of a value still sealed, if any. */
function sealedLeaf(value, path) {
    if (typeof value === 'string')
        return value.startsWith(sealedForm('hmac:')) ? path : undefined;
    const entries = Array.isArray(value)
        ? [...value.entries()]
        : isPlainObject(value)
            ? Object.entries(value)
            : [];
    for (const [key, item] of entries) {
        const found = sealedLeaf(item, [...path, key]);
        if (found)
            return found;
    }
    return undefined;
}
function config_record_identityOf(operation) {
    return `${operation.kind}\0${operation.collection}\0${operation.key ?? operation.label}`;
}
/**
 * The first check of apply: the target's records the plan relies on are as
 * they were at plan time ([0]), or as an earlier run of this plan left them
 * after batch i. Anything else changed them: `target-changed`.
 */
function configStart(record, fingerprint, advice = ACTION_ADVICE) {
    const index = record.fingerprints.indexOf(fingerprint);
    if (index < 0) {
        throw new ApplyFailure('target-changed', 'The configuration on the target changed since the plan was reviewed: a record the plan touches or relies on, or the set of records, ' +
            `is neither as reviewed nor as a part-way apply of this plan left it. Nothing was applied. ${advice.replan}`);
    }
    return index === record.fingerprints.length - 1 && index > 0 ? { kind: 'applied' } : { kind: 'apply', from: index };
}
/** The reviewed plan was made for these parts and this mode; apply runs with the same, or refuses. */
function checkConfigScope(record, parts, mode) {
    if (json_canonicalJson(record.parts) !== json_canonicalJson(parts) || record.mode !== mode) {
        throw new ApplyFailure('plan-changed', `The configuration plan was reviewed for promote: ${record.parts.join(', ')} in ${record.mode} mode, but apply runs with ` +
            `${parts.join(', ') || 'no configuration part'} in ${mode} mode. Nothing was applied. Give the apply job the plan job's 'promote' and 'diff-mode'.`);
    }
}
/** The digest of a fresh plan from the base must be the reviewed one when nothing was applied yet: else the base moved. */
function checkConfigDigest(record, current, advice = ACTION_ADVICE) {
    if (current.digest !== record.digest)
        throw configPlanChanged(record, current, advice);
}
/** The refusal when the configuration plan now is not the reviewed one. */
function configPlanChanged(record, current, advice = ACTION_ADVICE) {
    return new ApplyFailure('plan-changed', `The configuration plan now (digest ${current.digest}) is not the reviewed one (digest ${record.digest}): the configuration of the base or of the target, ` +
        `the overrides file or an environment value it names changed since review. Nothing was applied. ${advice.replan}`);
}
/** Apply never removes admin access from the identity it runs as. */
function checkLockout(plan) {
    if (plan.lockout) {
        throw new ApplyFailure('lockout', `The configuration plan would lock this action out of admin access on the target: ${plan.lockout}. Nothing was applied. ` +
            'Keep another admin policy on the identity the action runs as, or make that change by hand.');
    }
}
/** Deleting a policy, role or flow needs allow-destructive, as a destructive schema change does. */
function checkConfigDestructive(plan, allowDestructive, advice = ACTION_ADVICE) {
    if (!plan.destructive || allowDestructive)
        return;
    const deleted = configDeletesOf(plan).map((operation) => operation.label);
    throw new ApplyFailure('destructive-blocked', `The configuration plan deletes ${deleted.join(', ') || 'policies, roles or flows'}. Nothing was applied. Set ${advice.setting('allow-destructive')} to apply it.`);
}
const DESTRUCTIVE_COLLECTIONS = ['policies', 'roles', 'flows'];
/** The deletes that make a configuration plan destructive: of a policy, role or flow. */
function configDeletesOf(plan) {
    return plan.batches
        .flatMap((batch) => batch.operations)
        .filter((operation) => operation.kind === 'delete' && DESTRUCTIVE_COLLECTIONS.includes(operation.collection));
}
const KIND_SIGNS = { create: '+', update: '~', delete: '-', unlink: '~' };
/** '+2 policies, ~1 flows, -1 permissions' */
function summarizeOperations(operations) {
    if (operations.length === 0)
        return 'no configuration changes';
    const counts = new Map();
    for (const operation of operations) {
        const key = `${KIND_SIGNS[operation.kind]}\0${operation.collection}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return [...counts].map(([key, count]) => `${key.split('\0')[0]}${count} ${key.split('\0')[1]}`).join(', ');
}
/** At most this many operations are named per list; the rest are counted. */
const config_record_NAMES_SHOWN = 10;
/** '+1 policies, ~1 flows (create policy "Editors", update flow "Publish")' */
function listOperations(operations) {
    if (operations.length === 0)
        return 'nothing';
    const names = operations.slice(0, config_record_NAMES_SHOWN).map((operation) => `${operation.kind} ${operation.label}`);
    const more = operations.length - names.length;
    return `${summarizeOperations(operations)} (${names.join(', ')}${more > 0 ? ` and ${more} more` : ''})`;
}

;// CONCATENATED MODULE: ./src/core/config-promotion.ts
/**
 * Configuration promotion in a run (issue #11), shared by the action and the
 * command line: the plan from both instances' system collections, and the
 * sealed apply that runs after the schema's.
 *
 * Apply is honest about what it cannot promise: the items API has no
 * compare-and-set, so the target is re-read and fingerprinted right before
 * each batch, and a record can still change between that read and the write.
 * Directus has no transaction across these requests either: a failure
 * part-way is reported with exactly the operations that were done, nothing is
 * retried, and a re-run of the same plan finds the target as that run left it
 * (one of the plan's fingerprints) and applies only the batches left.
 */











/** The configuration plan of a promotion; one step. */
async function planConfigPromotion(session, request, step) {
    return (await readAndPlan(session, request, step)).plan;
}
async function readAndPlan(session, request, step) {
    const base = session.base;
    if (!base) {
        throw new errors_InputError('promote', "Configuration is read from a live base instance; 'base-snapshot' holds the schema only. Give 'base-url'.");
    }
    const overrides = request.overrides ? readOverrides(request.overrides) : undefined;
    return step('config', async () => {
        const [baseState, target, identity] = await Promise.all([
            readConfigState(base, request.parts),
            readConfigState(session.target, request.parts),
            readAdminIdentity(session.target)
        ]);
        const plan = planConfig(baseState, target, {
            parts: request.parts,
            mode: request.mode,
            ...(overrides ? { overrides } : {}),
            env: request.env,
            secretHash: request.secretHash,
            identity
        });
        return { target, plan };
    });
}
function readOverrides(location) {
    if (location.content !== undefined)
        return parseOverrides(location.content, location.path);
    let text;
    try {
        text = (0,external_node_fs_.readFileSync)(location.file, 'utf8');
    }
    catch (error) {
        const code = error.code;
        throw new errors_InputError('config-overrides', `Input 'config-overrides': ${location.path} cannot be read (${code === 'ENOENT' ? 'no such file' : (code ?? error.message)})`);
    }
    return parseOverrides(text, location.path);
}
/**
 * The checks before anything is written, in this order: the reviewed plan was
 * made for these parts and mode; the target is as reviewed, or as an earlier
 * run of this plan left it part-way (`target-changed` otherwise); the plan is
 * still the reviewed one (`plan-changed`); no lockout; deletes only with
 * allow-destructive. `reviewed` undefined: there is no reviewed configuration
 * plan, which only `require-plan: false` accepts.
 */
async function prepareConfigApply(session, reviewed, request, hooks) {
    const { target, plan: current } = await readAndPlan(session, request, hooks.step);
    hooks.onCurrentPlan?.(current);
    return decideConfigApplication(reviewed, target, current, request, hooks.warning);
}
/**
 * The decision of prepareConfigApply on what it read: the target's state and
 * the plan made on it now. Pure, so the guard table runs exactly this.
 */
function decideConfigApplication(reviewed, target, current, request, warning) {
    const advice = request.advice ?? ACTION_ADVICE;
    const pending = operationsOf(current).length;
    if (!reviewed) {
        if (pending === 0)
            return { kind: 'nothing', text: 'The configuration on the target already matches the base.' };
        if (request.reviewedElsewhere === 'reviewed-without-config') {
            throw new ApplyFailure('plan-changed', `The reviewed plan changes no configuration, but the configuration differs now (${summarizeOperations(operationsOf(current))}). ` +
                `Nothing was applied. ${advice.replan}`);
        }
        if (request.requirePlan || request.reviewedElsewhere === 'pinned') {
            throw new ApplyFailure('no-plan', `No reviewed configuration plan for target '${request.targetName}', and the configuration differs (${summarizeOperations(operationsOf(current))}). ` +
                "Nothing was applied. Configuration is applied from a pull request's plan comment ('expected-hash' and 'expected-digest' pin the schema only), " +
                "or with 'require-plan: false'.");
        }
        warning(`Applying configuration to ${request.targetName} without a reviewed plan (require-plan: false).`);
        return checkedApplication(current, current, 0, request, advice);
    }
    checkConfigScope(reviewed, request.parts, request.mode);
    // The whole of the compared collections is fingerprinted, as the plan saw it: the reviewed plan's batches are not needed for it.
    const fingerprint = fingerprintOf(target, { parts: reviewed.parts, compared: reviewed.compared ?? current.compared }, request.secretHash);
    const start = configStart(reviewed, fingerprint, advice);
    if (start.kind === 'applied') {
        return { kind: 'nothing', text: 'The reviewed configuration plan was applied already: the target is exactly as its apply left it.' };
    }
    if (start.from === 0) {
        checkConfigDigest(reviewed, current, advice);
        return checkedApplication(current, current, 0, request, advice);
    }
    // A re-run after a part-way failure: what is left is the reviewed plan's own batches, carried by the record.
    const sealed = unpackConfigBatches(reviewed);
    // Only what is left is sent, so only its secrets are filled: the batches done are not in a fresh plan any more.
    const filled = sealed ? fillSecrets(sealed.slice(start.from), operationsOf(current), request.secretHash) : undefined;
    if (!filled || 'missing' in filled) {
        throw new ApplyFailure('plan-changed', `An earlier run applied ${countOf(start.from, 'batch', 'batches')} of this configuration plan before it failed, ` +
            (filled
                ? `but ${filled.missing} is no longer the reviewed value in the base, the overrides file or the environment. `
                : 'but the plan record does not carry the reviewed operations (they did not fit the comment), so the rest cannot be applied exactly as reviewed. ') +
            `Nothing was applied. ${advice.replan}`);
    }
    const resumed = {
        ...current,
        batches: [...(sealed ?? []).slice(0, start.from), ...filled.batches],
        digest: reviewed.digest,
        fingerprints: reviewed.fingerprints,
        destructive: reviewed.destructive
    };
    return checkedApplication(resumed, current, start.from, request, advice, resumedNote(resumed, start.from));
}
function checkedApplication(plan, current, from, policy, advice, note) {
    // The lockout is judged on the target as it is now, for the identity apply runs as now.
    checkLockout(current);
    // A re-run is judged on what it still sends: the deletes of the batches left.
    const left = plan.batches.slice(from);
    checkConfigDestructive({ destructive: configDeletesOf({ batches: left }).length > 0, batches: left }, policy.allowDestructive, advice);
    return { kind: 'apply', plan, from, ...(note ? { note } : {}) };
}
function resumedNote(plan, from) {
    const done = plan.batches.slice(0, from).flatMap((batch) => batch.operations);
    return (`An earlier run of this plan applied ${countOf(from, 'batch', 'batches')} of ${plan.batches.length} before it failed ` +
        `(${summarizeOperations(done)}); the target is exactly as it left it, so this run applies only what is left.`);
}
/** Configuration applied only part-way: what reached the target and what did not, exactly. */
class ConfigPartialApplyFailure extends ApplyFailure {
    applied;
    pending;
    name = 'ConfigPartialApplyFailure';
    constructor(message, applied, pending) {
        super('partially-applied', message);
        this.applied = applied;
        this.pending = pending;
    }
}
/**
 * Applies the batches from `from` on, one request each, the target's
 * fingerprint checked right before each. Never retries: on a failure, what
 * was done and what was not is the error.
 */
async function applyConfig(target, application, request, hooks, options = {}) {
    const { parts, secretHash } = request;
    const advice = request.advice ?? ACTION_ADVICE;
    const { plan, from } = application;
    // What this run changed before the configuration: a configuration failure then leaves the target part-way too.
    const schemaApplied = options.schemaApplied ? `the schema (${options.schemaApplied}), then ` : '';
    if (application.note)
        hooks.info(application.note);
    const applied = [];
    // Done by earlier runs of this plan: the target already holds them.
    const earlier = plan.batches.slice(0, from).flatMap((batch) => batch.operations);
    await hooks.step('config-apply', async () => {
        for (let index = from; index < plan.batches.length; index++) {
            const batch = plan.batches[index];
            const state = await readConfigState(target, parts);
            if (fingerprintOf(state, plan, secretHash) !== plan.fingerprints[index]) {
                const pending = plan.batches.slice(index).flatMap((rest) => rest.operations);
                const message = `The configuration on the target changed while this run applied it: before ${batchName(batch)} a record the plan relies on ` +
                    'was no longer as the plan expects. ';
                if (applied.length === 0 && earlier.length === 0 && !schemaApplied) {
                    throw new ApplyFailure('target-changed', `${message}Nothing was applied. ${advice.replan}`);
                }
                throw partialFailure(message, schemaApplied, [...earlier, ...applied], pending, advice);
            }
            const result = await applyBatches(target, [batch], hooks.debug ? { debug: hooks.debug } : {});
            applied.push(...result.done.flatMap((done) => done.operations));
            if (result.failed) {
                const pending = [...result.failed.batch.operations, ...plan.batches.slice(index + 1).flatMap((rest) => rest.operations)];
                const message = `Directus refused ${batchName(result.failed.batch)}: ${result.failed.error.message}. `;
                if (applied.length === 0 && earlier.length === 0 && !schemaApplied) {
                    throw new ApplyFailure('apply-failed', `${message}Nothing was applied (a batch is one request, and Directus writes it whole or not at all).`);
                }
                throw partialFailure(message, schemaApplied, [...earlier, ...applied], pending, advice);
            }
            hooks.info(`Applied ${batchName(batch)}.`);
        }
    });
    return { operations: applied, ...(application.note ? { note: application.note } : {}) };
}
function partialFailure(cause, schemaApplied, applied, pending, advice) {
    return new ConfigPartialApplyFailure(`${cause}Directus has no transaction across these requests, so the promotion was applied part-way, and nothing was retried. ` +
        `Applied: ${schemaApplied}configuration ${listOperations(applied)}. Not applied: configuration ${listOperations(pending)}. ` +
        `Fix the cause, then run the apply again: it finds the target as this run left it and applies only what is left ` +
        `(if the target changed otherwise, it refuses; then ${advice.replan.charAt(0).toLowerCase()}${advice.replan.slice(1)})`, applied, pending);
}
function batchName(batch) {
    return `the ${batch.kind} of ${countOf(batch.operations.length, 'record')} in ${batch.collection}`;
}

;// CONCATENATED MODULE: ./src/core/guard/record.ts




const RECORD_VERSION = 2;
const RECORD_PREFIX = (/* unused pure expression or super */ null && (`v${RECORD_VERSION}`));
/**
 * scrypt with N = 2^17, r = 8, p = 1 (OWASP's floor for password storage):
 * 128 MiB and a few hundred milliseconds, once per job, against every guess of
 * an attacker who copied the record. Raising these is a new KDF_VERSION.
 */
const KDF_VERSION = 1;
const SCRYPT = { N: 2 ** 17, r: 8, p: 1, maxmem: 256 * 1024 * 1024 };
const KDF_SALT = 'directus-schema-action/plan-record/v2';
class RecordError extends (/* unused pure expression or super */ null && (Error)) {
    name = 'RecordError';
}
/**
 * What keys the record, and a warning when that is the target's password: a
 * password is often weak, reused and rotated by people who do not know that
 * rotating it invalidates open plans; scrypt slows a guess, it cannot make a
 * weak password strong.
 */
function keyMaterialOf(signingKey, auth) {
    if (signingKey)
        return { material: { kind: 'signing-key', key: signingKey } };
    if (auth.kind === 'token')
        return { material: auth };
    return {
        material: auth,
        warning: "The plan record (and the drift baseline) is keyed with the target's password, because neither 'signing-key' nor a target token is given. " +
            "Anyone who can read the pull request can try to guess that password offline from the record. Set 'signing-key' " +
            '(a long random secret in the same environment) to key the record instead; open plans then need a re-run.'
    };
}
/** Stretches the key material; takes a few hundred milliseconds, so derive it once per job. */
function recordKey(material, targetUrl) {
    const secret = material.kind === 'signing-key'
        ? `signing-key\0${material.key}`
        : material.kind === 'token'
            ? `token\0${material.token}`
            : `password\0${material.email}\0${material.password}`;
    return (0,external_node_crypto_.scryptSync)(secret, `${KDF_SALT}\0${targetUrl}`, 32, SCRYPT);
}
/** 'sha256:' and 64 hex digits: the digest of what a reviewer reads in the comment (not its status). */
function visiblePlanDigest(summary, body) {
    return `sha256:${(0,external_node_crypto_.createHash)('sha256').update(json_canonicalJson({ summary, body })).digest('hex')}`;
}
/** 'sha256:' and 64 hex digits: the digest of the comment's status block (its state and text). */
function statusDigest(status) {
    return `sha256:${(0,external_node_crypto_.createHash)('sha256')
        .update(json_canonicalJson({ state: status.state, text: status.text }))
        .digest('hex')}`;
}
const VISIBLE_DIGEST = /^sha256:[0-9a-f]{64}$/;
function sealRecord(record, key) {
    const payload = Buffer.from(canonicalJson(record)).toString('base64url');
    return `${RECORD_PREFIX}.${payload}.${sign(payload, key)}`;
}
/** Throws RecordError when the text is not a record sealed with this key. */
function openRecord(sealed, key) {
    const [prefix, payload, signature, ...rest] = sealed.split('.');
    if (/^v1$/.test(prefix ?? '') && payload && signature && rest.length === 0) {
        throw new RecordError('the plan record was written by an earlier release of this action (record format v1), which apply no longer accepts');
    }
    if (prefix !== RECORD_PREFIX || !payload || !signature || rest.length > 0) {
        throw new RecordError('the plan record is malformed');
    }
    const expected = Buffer.from(sign(payload, key));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
        throw new RecordError('the plan record signature does not verify (edited, forged, or signed with another target credential or signing-key)');
    }
    let record;
    try {
        record = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    }
    catch {
        throw new RecordError('the plan record payload is not valid JSON');
    }
    if (record.v !== RECORD_VERSION)
        throw new RecordError(`the plan record has unknown version ${String(record.v)}`);
    if (record.kdf !== KDF_VERSION)
        throw new RecordError(`the plan record was keyed with unknown key derivation ${String(record.kdf)}`);
    return record;
}
/** Text handed to gzip at a time: large enough to keep it busy, small enough to stop soon after the limit. */
const PACK_BATCH_CHARS = (/* unused pure expression or super */ null && (64 * 1024));
/**
 * The diff's canonical JSON, gzipped and base64url-encoded, or undefined when
 * that would pass maxChars. The JSON is made and compressed item by item, and
 * compression stops as soon as the output passes the limit: a diff far too
 * large for a comment is ruled out after as little of it as that takes, and
 * is never held as one string.
 */
async function packDiffWithin(diff, maxChars) {
    const maxBytes = Math.max(1, Math.floor((maxChars * 3) / 4));
    const gzip = createGzip({ level: 9 });
    const output = [];
    let size = 0;
    const packed = new Promise((resolve, reject) => {
        gzip.on('data', (chunk) => {
            size += chunk.length;
            if (size <= maxBytes) {
                output.push(chunk);
                return;
            }
            gzip.destroy();
            resolve(undefined);
        });
        gzip.on('end', () => resolve(Buffer.concat(output).toString('base64url')));
        gzip.on('error', reject);
    });
    let batch = '';
    for (const piece of canonicalJsonPieces(diff)) {
        if (gzip.destroyed)
            break;
        batch += piece;
        if (batch.length < PACK_BATCH_CHARS)
            continue;
        const writable = gzip.write(batch);
        batch = '';
        if (!writable)
            await drained(gzip);
    }
    if (!gzip.destroyed)
        gzip.end(batch);
    return packed;
}
/** Resolves when the stream wants more input, or is gone. */
function drained(stream) {
    return new Promise((resolve) => {
        const done = () => {
            stream.off('drain', done);
            stream.off('close', done);
            resolve();
        };
        stream.on('drain', done);
        stream.on('close', done);
    });
}
/**
 * The sealers for a plan, most complete first: with the reviewed diff packed
 * in (`packed`, from packDiffWithin, when it fits the comment) and the
 * configuration's batches, then without the diff, then without either. The
 * comment takes the first that fits beside the report. The diff is packed
 * once, by the caller, however often the comment is sealed again. A plan that
 * changes only configuration has no schema part (`plan` undefined): its
 * record's hash and digest are empty.
 */
function recordSealers(plan, binding, signedAt, key, packed, plannedBy = [], config) {
    const record = {
        v: RECORD_VERSION,
        kdf: KDF_VERSION,
        ...binding,
        signedAt,
        ...(plannedBy.length > 0 ? { plannedBy: [...new Set(plannedBy.map((login) => login.toLowerCase()))].sort() } : {}),
        hash: plan?.hash ?? '',
        digest: plan?.digest ?? '',
        destructive: (plan?.destructive ?? false) || (config?.destructive ?? false),
        base: plan?.base ?? {},
        target: plan?.target ?? {}
    };
    const sealer = (extra) => (visibleDigest, shown) => {
        if (!VISIBLE_DIGEST.test(visibleDigest))
            throw new TypeError('a visible digest is sha256: and 64 hex digits');
        if (shown?.statusDigest !== undefined && !VISIBLE_DIGEST.test(shown.statusDigest)) {
            throw new TypeError('a status digest is sha256: and 64 hex digits');
        }
        const seen = shown ? { complete: shown.complete, ...(shown.statusDigest ? { statusDigest: shown.statusDigest } : {}) } : {};
        return sealRecord({ ...record, ...extra, ...seen, visibleDigest }, key);
    };
    const withoutBatches = config ? { config: withoutPackedBatches(config) } : {};
    return [
        ...(packed ? [sealer({ diff: packed, ...(config ? { config } : {}) })] : []),
        ...(config?.batches ? [sealer({ config })] : []),
        sealer(withoutBatches)
    ];
}
function withoutPackedBatches(config) {
    const { batches: _batches, ...rest } = config;
    return rest;
}
/** The reviewed diff, only if it still has the reviewed digest. */
function unpackDiff(record) {
    if (!record.diff)
        return undefined;
    const diff = JSON.parse(gunzipSync(Buffer.from(record.diff, 'base64url')).toString('utf8'));
    if (diffDigest(diff) !== record.digest)
        throw new RecordError('the packed diff does not match the recorded digest');
    return diff;
}
function sign(payload, key) {
    return createHmac('sha256', key).update(payload).digest('base64url');
}

;// CONCATENATED MODULE: ./src/core/settings.ts


const COMMANDS = ['plan', 'apply', 'snapshot', 'drift'];
function isSnapshotFile(base) {
    return 'kind' in base && base.kind === 'file';
}
/** The credentials and timeouts of both instances: all the session needs, and no GitHub token. */
function connectionsOf(settings) {
    return { base: settings.base, target: settings.target, timeoutMs: settings.timeoutMs };
}
function baseRequestOf(settings) {
    return {
        ...(isSnapshotFile(settings.base) ? { baseFile: { path: settings.base.path, file: settings.base.file } } : {}),
        ...(settings.scope ? { scope: settings.scope } : {}),
        mode: settings.mode
    };
}
function applyPolicyOf(settings, advice) {
    return {
        targetName: settings.targetName,
        force: settings.force,
        mode: settings.mode,
        allowDestructive: settings.allowDestructive,
        requirePlan: settings.requirePlan,
        timeoutMs: settings.timeoutMs,
        ...(advice ? { advice } : {})
    };
}

;// CONCATENATED MODULE: ./src/core/session.ts
/**
 * The live connections of one run, opened together and closed together so
 * the process can exit. Shared by the action and the command line; neither
 * logs here: the hooks decide where lines go.
 */





async function openSession(settings, hooks) {
    return withConnections(settings.timeoutMs, hooks, async (connectTo) => {
        const base = isSnapshotFile(settings.base) ? undefined : await connectTo(settings.base);
        const target = await connectTo(settings.target);
        const [baseVersion, targetVersion] = await Promise.all([base ? checkedVersion(base) : undefined, checkedVersion(target)]);
        const versions = {
            ...(baseVersion ? { base: baseVersion } : {}),
            ...(targetVersion ? { target: targetVersion } : {})
        };
        return { ...(base ? { base } : {}), target, versions };
    });
}
/** One connection to the base alone, for `command: snapshot`. */
async function openBaseSession(instance, timeoutMs, hooks) {
    return withConnections(timeoutMs, hooks, async (connectTo) => {
        const base = await connectTo(instance);
        const version = await checkedVersion(base);
        return { base, ...(version ? { version } : {}) };
    });
}
/**
 * Connections over one transport, with one `close` for all of them. When
 * opening fails part-way, what was opened is closed before the error goes on:
 * a login's refresh timer would otherwise keep the process alive.
 */
async function withConnections(timeoutMs, hooks, open) {
    const transport = createTransport({ timeoutMs, log: hooks.debug });
    const opened = [];
    const close = async () => {
        await Promise.all(opened.map((connection) => connection.close()));
        await transport.close();
    };
    const connectTo = async (instance) => {
        const connection = await connect(instance, transport, hooks.maskSecret);
        opened.push(connection);
        return connection;
    };
    try {
        return { ...(await open(connectTo)), transport, close };
    }
    catch (error) {
        await close();
        throw error;
    }
}
async function checkedVersion(connection) {
    const { version } = await readServerInfo(connection);
    assertSupportedServer(connection.side, connection.host, version);
    return version;
}
/** One connection to the target alone, for `command: drift`. */
async function openTargetSession(instance, timeoutMs, hooks) {
    const { base, ...rest } = await openBaseSession(instance, timeoutMs, hooks);
    return { target: base, ...rest };
}

;// CONCATENATED MODULE: ./src/core/snapshot.ts
/**
 * `command: snapshot` (the action) and `snapshot --out` (the command line):
 * the base's schema written to a file, keys sorted, to be committed. The
 * GitOps flow: a pull request changes the committed snapshot, and the plan
 * shows what that does to the target (`base-snapshot`).
 */






/** Runs as three steps: connect, snapshot, render (writing the file). */
async function writeBaseSnapshot(settings, hooks, step) {
    const session = await step('connect', () => openBaseSession(settings.base, settings.timeoutMs, hooks));
    try {
        assertInputsHonoured(settings, { ...(session.version ? { base: session.version } : {}) }, ['base']);
        const snapshot = await step('snapshot', () => takeSnapshot(session.base, settings.scope));
        for (const warning of settings.scope ? scopeWarnings(snapshot, settings.scope) : [])
            hooks.warning(warning);
        const written = await step('render', () => writeSnapshotFile(settings.snapshotFile, snapshot));
        return { ...written, summary: describeSnapshot(snapshot) };
    }
    finally {
        await session.close();
    }
}
/** e.g. 'Directus 12.4.0 on sqlite: 6 collections, 41 fields, 3 relations' */
function describeSnapshot(snapshot) {
    return (`Directus ${snapshot.directus}${snapshot.vendor ? ` on ${snapshot.vendor}` : ''}: ` +
        `${countOf(snapshot.collections.length, 'collection')}, ${countOf(snapshot.fields.length, 'field')}, ` +
        `${countOf(snapshot.relations.length, 'relation')}`);
}

;// CONCATENATED MODULE: ./src/report/config-model.ts
/**
 * What the configuration sections of a plan (issue #11) show, decided once for both renderers
 * (config-markdown.ts, config-terminal.ts): access as a policy × collection × action matrix of differences,
 * flows as trigger then chain, the other parts as created / updated / deleted with their changed keys.
 *
 * Secrets: a value is shown only after `displayValue` has taken out everything that looks secret (values under
 * secret-sounding keys, request header values, credentials and secret query parameters in URLs, bearer tokens),
 * whatever the planner marked. The planner's `FieldChange.secret` decides the words ("changed (secret)", "kept
 * the target's value", "set by the overrides file"); a change whose path looks secret but that the planner did
 * not mark is still shown as "changed (secret)". The renderers escape what they are given here.
 */

const PART_TITLES = {
    access: 'Access',
    flows: 'Flows',
    dashboards: 'Dashboards',
    presets: 'Presets',
    translations: 'Translations',
    settings: 'Settings',
    folders: 'Folders'
};
const SECRET_WORDS = {
    changed: 'changed (secret)',
    kept: "kept the target's value",
    override: 'set by the overrides file'
};
/** Why a delete is destructive (docs/directus-config-facts.md C7, C8, C9). */
const DESTRUCTIVE_DELETES = {
    policies: 'deletes the policy with its permissions and every link to roles and users',
    roles: 'deletes the role: its users are suspended and lose it, its links and role presets go, its child roles lose their parent',
    flows: 'deletes the flow and all its operations'
};
const STANDARD_ACTIONS = ['create', 'read', 'update', 'delete', 'share'];
const POLICY_FLAGS = ['admin_access', 'app_access', 'ip_access', 'enforce_tfa'];
const config_model_RULE_FIELDS = [
    ['fields', 'fields'],
    ['permissions', 'filter'],
    ['validation', 'validation'],
    ['presets', 'presets']
];
/** Set by Directus, or the record's identity: never a "change" worth a line. */
const NOT_SHOWN = new Set(['id', 'date_created', 'user_created']);
/** What a created record is told by, per collection; the rest is in the values. */
const CREATE_FACTS = {
    roles: ['parent', 'description'],
    dashboards: ['icon', 'note'],
    panels: ['type', 'name', 'position_x', 'position_y', 'width', 'height'],
    presets: ['collection', 'bookmark', 'role', 'layout'],
    translations: ['language', 'key', 'value'],
    folders: ['name', 'parent'],
    settings: []
};
/** Trigger options a reviewer checks (docs/directus-config-facts.md F). */
const TRIGGER_OPTIONS = {
    event: ['type', 'scope', 'collections'],
    schedule: ['cron'],
    operation: ['return'],
    webhook: ['method', 'async', 'return'],
    manual: ['collections', 'location', 'requireConfirmation', 'async']
};
function configReportView(plan) {
    const operations = byRecord(operationsOf(plan));
    const records = new RecordIndex(plan, operations);
    const risksOf = (label) => plan.risks.filter((risk) => risk.subject === label).map((risk) => risk.text);
    const shown = operations.filter((operation) => operation.kind !== 'unlink');
    const view = (operation) => operationView(operation, records, risksOf);
    const parts = (plan.parts.length > 0 ? CONFIG_PARTS.filter((part) => plan.parts.includes(part)) : CONFIG_PARTS).map((part) => {
        const own = operations.filter((operation) => PART_COLLECTIONS[part].includes(operation.collection));
        const visible = own.filter((operation) => operation.kind !== 'unlink');
        const base = {
            part,
            count: visible.length,
            destructiveCount: visible.filter((operation) => config_model_destructiveReason(operation) !== undefined).length,
            riskyCount: visible.filter((operation) => risksOf(operation.label).length > 0).length
        };
        if (part === 'access')
            return { ...base, access: accessView(own, records, risksOf, view) };
        if (part === 'flows')
            return { ...base, flows: flowViews(own, records, risksOf) };
        return { ...base, others: visible.map(view) };
    });
    return {
        parts,
        counts: {
            create: shown.filter((operation) => operation.kind === 'create').length,
            update: shown.filter((operation) => operation.kind === 'update').length,
            delete: shown.filter((operation) => operation.kind === 'delete').length
        },
        destructive: shown.filter((operation) => config_model_destructiveReason(operation) !== undefined).map(view),
        risky: shown.filter((operation) => risksOf(operation.label).length > 0).map(view)
    };
}
/**
 * One operation per record: apply may write a record twice (an operation created, then linked once the chain
 * exists; a flow updated, then pointed at its new first operation), the report shows the record once, with
 * every change. Unlinks stay apart: they are said per flow.
 */
function byRecord(operations) {
    const merged = new Map();
    const unlinks = [];
    operations.forEach((operation, index) => {
        if (operation.kind === 'unlink') {
            unlinks.push(operation);
            return;
        }
        const key = keyString(operation.key ?? (operation.kind === 'create' ? operation.values['id'] : undefined));
        const id = key === '' ? `#${index}` : `${operation.collection}\u0000${key}`;
        const earlier = merged.get(id);
        merged.set(id, earlier === undefined ? operation : combined(earlier, operation));
    });
    return [...merged.values(), ...unlinks];
}
function combined(earlier, later) {
    const before = earlier.before ?? later.before;
    if (later.kind === 'delete' || earlier.kind === 'delete') {
        const remove = later.kind === 'delete' ? later : earlier;
        return { ...remove, ...(before !== undefined ? { before } : {}) };
    }
    if (earlier.kind === 'unlink' || later.kind === 'unlink')
        return earlier;
    const values = { ...earlier.values, ...later.values };
    const changes = [...earlier.changes, ...later.changes];
    return { ...earlier, values, changes, ...(before !== undefined ? { before } : {}) };
}
function config_model_destructiveReason(operation) {
    return operation.kind === 'delete' ? DESTRUCTIVE_DELETES[operation.collection] : undefined;
}
/** '+3 created, ~2 updated, -1 deleted' */
function countsText(counts) {
    const parts = [
        counts.create > 0 ? `+${counts.create} created` : '',
        counts.update > 0 ? `~${counts.update} updated` : '',
        counts.delete > 0 ? `-${counts.delete} deleted` : ''
    ].filter((part) => part !== '');
    return parts.length > 0 ? parts.join(', ') : 'no changes';
}
function limitText(limit) {
    return [{ code: limit.collection }, `: ${limit.text}`];
}
// ---------------------------------------------------------------------------
// Operations
function operationView(operation, records, risksOf) {
    const destructive = config_model_destructiveReason(operation);
    return {
        kind: operation.kind,
        label: operation.label,
        details: detailsOf(operation, records),
        risks: risksOf(operation.label),
        ...(destructive !== undefined ? { destructive } : {})
    };
}
function detailsOf(operation, records) {
    switch (operation.kind) {
        case 'create': {
            const facts = CREATE_FACTS[operation.collection];
            const keys = facts ?? Object.keys(operation.values).filter((key) => !NOT_SHOWN.has(key));
            const shown = keys
                .filter((key) => operation.values[key] !== undefined && operation.values[key] !== null)
                .map((key) => factOf(operation.collection, key, operation.values[key], records));
            return [...shown, ...secretNotes(operation.changes, operation.collection, new Set(keys))];
        }
        case 'update':
            return changeTexts(operation.collection, operation.changes, records);
        case 'delete':
        case 'unlink':
            return [];
    }
}
/** A created record's fact: references named by what they point to. */
function factOf(collection, key, value, records) {
    const reference = config_model_REFERENCES[`${collection}.${key}`];
    if (reference !== undefined)
        return [`${key} `, { code: records.nameOf(reference, value) }];
    if (config_model_isSecretPath(collection, [key]))
        return [`${key}: ${SECRET_WORDS.changed}`];
    return [`${key} `, { value: displayValue(value) }];
}
const config_model_REFERENCES = {
    'roles.parent': 'roles',
    'flows.operation': 'operations',
    'operations.resolve': 'operations',
    'operations.reject': 'operations',
    'operations.flow': 'flows',
    'permissions.policy': 'policies',
    'presets.role': 'roles',
    'folders.parent': 'folders',
    'panels.dashboard': 'dashboards',
    'access.role': 'roles',
    'access.policy': 'policies',
    'flows.folder': 'folders'
};
/** Secrets the planner marked on a create, beside the facts shown. */
function secretNotes(changes, collection, shownKeys) {
    return changes
        .filter((change) => change.secret !== undefined && !(shownKeys.has(change.path) && config_model_isSecretPath(collection, [change.path])))
        .map((change) => [{ code: change.path }, `: ${SECRET_WORDS[change.secret ?? 'changed']}`]);
}
/** Every change of an update, secrets in words only. */
function changeTexts(collection, changes, records) {
    return changes.filter((change) => !NOT_SHOWN.has(change.path)).map((change) => changeText(collection, change, records));
}
/** path: before → after; a reference by the name of what it points to; a secret in words only. */
function changeText(collection, change, records) {
    const secret = change.secret ?? (config_model_isSecretPath(collection, pathSegments(change.path)) ? 'changed' : undefined);
    if (secret !== undefined)
        return [{ code: change.path }, `: ${SECRET_WORDS[secret]}`];
    const reference = config_model_REFERENCES[`${collection}.${change.path}`];
    const side = (value) => reference !== undefined && value !== null && value !== undefined
        ? { code: records.nameOf(reference, value) }
        : { value: displayValue(value) };
    return [{ code: change.path }, ': ', side(change.before), ' → ', side(change.after)];
}
// ---------------------------------------------------------------------------
// Access
function accessView(operations, records, risksOf, view) {
    const policies = new Map();
    const policyOf = (key) => {
        let policy = policies.get(key);
        if (policy === undefined) {
            policy = { name: records.nameOf('policies', key), kind: 'unchanged', changes: [], risks: [], links: [], actions: [], matrix: [] };
            policies.set(key, policy);
        }
        return policy;
    };
    const roles = [];
    for (const operation of operations) {
        if (operation.kind === 'unlink')
            continue;
        const after = records.after(operation);
        switch (operation.collection) {
            case 'policies': {
                const policy = policyOf(records.keyOf(operation));
                const destructive = config_model_destructiveReason(operation);
                Object.assign(policy, {
                    kind: operation.kind,
                    changes: operation.kind === 'create'
                        ? policyFacts(operation.values)
                        : operation.kind === 'update'
                            ? sortFlagsFirst(changeTexts('policies', operation.changes, records))
                            : [],
                    risks: risksOf(operation.label),
                    ...(destructive !== undefined ? { destructive } : {})
                });
                break;
            }
            case 'access':
                policyOf(keyString(after['policy'])).links.push({ ...view(operation), details: linkText(after, records) });
                break;
            case 'permissions':
                addToMatrix(policyOf(keyString(after['policy'])), operation, after, risksOf(operation.label), records);
                break;
            default:
                roles.push(view(operation));
        }
    }
    for (const policy of policies.values()) {
        policy.matrix.sort((a, b) => a.collection.localeCompare(b.collection));
        const named = new Set(policy.matrix.flatMap((row) => Object.keys(row.cells)));
        policy.actions = [...STANDARD_ACTIONS, ...[...named].filter((action) => !STANDARD_ACTIONS.includes(action)).sort()];
    }
    return { policies: [...policies.values()], roles };
}
function policyFacts(values) {
    return POLICY_FLAGS.filter((flag) => values[flag] !== undefined && values[flag] !== null).map((flag) => [
        { code: flag },
        ': ',
        { value: values[flag] }
    ]);
}
/** Policy-level flags first: they change what every linked person may do. */
function sortFlagsFirst(texts) {
    const flagIndex = (text) => {
        const first = text[0];
        const index = typeof first === 'object' && 'code' in first ? POLICY_FLAGS.indexOf(first.code) : -1;
        return index === -1 ? POLICY_FLAGS.length : index;
    };
    return [...texts].sort((a, b) => flagIndex(a) - flagIndex(b));
}
function linkText(access, records) {
    const role = access['role'];
    const user = access['user'];
    const who = role !== null && role !== undefined
        ? ['role ', { code: records.nameOf('roles', role) }]
        : user !== null && user !== undefined
            ? ['user ', { code: keyString(user) }]
            : ['the public (no role, no user)'];
    return [[...who, ' ↔ policy ', { code: records.nameOf('policies', access['policy']) }]];
}
function addToMatrix(policy, operation, after, risks, records) {
    const collection = keyString(after['collection']);
    const action = keyString(after['action']);
    let row = policy.matrix.find((candidate) => candidate.collection === collection);
    if (row === undefined)
        policy.matrix.push((row = { collection, cells: {} }));
    row.cells[action] = { kind: operation.kind, lines: permissionLines(operation, after, records), risks };
}
function permissionLines(operation, after, records) {
    switch (operation.kind) {
        case 'create':
            return [['allowed'], ...config_model_RULE_FIELDS.flatMap(([field, words]) => ruleFact(field, words, after[field]))];
        case 'delete':
            return [['no longer allowed']];
        case 'update': {
            const beforeOf = (field) => operation.before !== undefined ? operation.before[field] : operation.changes.find((change) => change.path === field)?.before;
            const lines = config_model_RULE_FIELDS.filter(([field]) => field in operation.values).map(([field, words]) => [
                `${words}: `,
                ...ruleValue(field, beforeOf(field)),
                ' → ',
                ...ruleValue(field, after[field])
            ]);
            return lines.length > 0 ? lines : changeTexts('permissions', operation.changes, records);
        }
        case 'unlink':
            return [];
    }
}
function ruleFact(field, words, value) {
    if (field === 'fields')
        return [['fields: ', ...ruleValue(field, value)]];
    return isRule(value) ? [[`${words}: `, { value: displayValue(value) }]] : [];
}
/** fields as a list ('all' for *), rules as JSON ('none' when absent, null or {}). */
function ruleValue(field, value) {
    if (field === 'fields') {
        if (Array.isArray(value) && value.includes('*'))
            return ['all'];
        if (Array.isArray(value))
            return value.length === 0 ? ['none'] : [{ code: value.map(String).join(', ') }];
        return ['none'];
    }
    return isRule(value) ? [{ value: displayValue(value) }] : ['none'];
}
function isRule(value) {
    if (value === null || value === undefined)
        return false;
    return typeof value !== 'object' || Array.isArray(value) || Object.keys(value).length > 0;
}
// ---------------------------------------------------------------------------
// Flows
function flowViews(operations, records, risksOf) {
    const flows = new Map();
    const entry = (key) => {
        let found = flows.get(key);
        if (found === undefined)
            flows.set(key, (found = { steps: [], unlinks: 0 }));
        return found;
    };
    for (const operation of operations) {
        const flowKey = operation.collection === 'flows' ? records.keyOf(operation) : keyString(records.after(operation)['flow']);
        const found = entry(flowKey);
        if (operation.kind === 'unlink')
            found.unlinks++;
        else if (operation.collection === 'flows')
            found.operation = operation;
        else
            found.steps.push(operation);
    }
    return [...flows].map(([key, found]) => flowView(key, found, records, risksOf));
}
function flowView(key, found, records, risksOf) {
    const flow = found.operation !== undefined ? records.after(found.operation) : (records.find('flows', key) ?? {});
    const kind = found.operation?.kind ?? 'unchanged';
    const changes = found.operation?.kind === 'update'
        ? changeTexts('flows', found.operation.changes, records)
        : found.operation?.kind === 'create'
            ? [['status ', { value: flow['status'] ?? 'active' }]]
            : [];
    const destructive = found.operation !== undefined ? config_model_destructiveReason(found.operation) : undefined;
    const { steps, deleted } = chainOf(key, flow, found.steps, kind === 'delete', records, risksOf);
    return {
        name: records.nameOf('flows', key),
        kind,
        trigger: triggerText(flow, found.operation),
        changes,
        risks: found.operation !== undefined ? risksOf(found.operation.label) : [],
        ...(destructive !== undefined ? { destructive } : {}),
        steps,
        deleted,
        unlinks: found.unlinks
    };
}
function triggerText(flow, operation) {
    const trigger = keyString(flow['trigger']);
    const options = (typeof flow['options'] === 'object' && flow['options'] !== null ? flow['options'] : {});
    const changedPaths = operation?.kind === 'update' ? operation.changes.map((change) => change.path) : [];
    const facts = (TRIGGER_OPTIONS[trigger] ?? []).filter((option) => options[option] !== undefined && options[option] !== null);
    const text = [{ code: trigger === '' ? '?' : trigger }];
    if (changedPaths.includes('trigger'))
        text.push(' (changed)');
    for (const option of facts) {
        const changed = changedPaths.some((path) => path === 'options' || path === `options.${option}` || path.startsWith(`options.${option}.`) || path.startsWith(`options.${option}[`));
        text.push(` · ${option} `, { value: displayValue(options[option]) }, ...(changed ? [' (changed)'] : []));
    }
    return text;
}
function chainOf(flowKey, flow, planned, flowDeleted, records, risksOf) {
    // Every operation of the flow after the plan: unchanged ones (related), then the plan's creates and updates.
    const byKey = new Map();
    for (const item of records.all('operations')) {
        if (keyString(item['flow']) === flowKey)
            byKey.set(keyString(item['id']), { item });
    }
    const deletedOperations = [];
    for (const operation of planned) {
        const key = records.keyOf(operation);
        if (operation.kind === 'delete' && !flowDeleted) {
            byKey.delete(key);
            deletedOperations.push(operation);
        }
        else
            byKey.set(key, { item: records.after(operation), operation });
    }
    const order = [];
    const visit = (key) => {
        const entry = byKey.get(key);
        if (entry === undefined || order.includes(key))
            return;
        order.push(key);
        visit(keyString(entry.item['resolve']));
        visit(keyString(entry.item['reject']));
    };
    visit(keyString(flow['operation']));
    // Operations no chain reaches (a plan may leave some), by key for a stable order.
    for (const key of [...byKey.keys()].sort())
        visit(key);
    const numberOf = (key) => (order.includes(key) ? order.indexOf(key) + 1 : undefined);
    const steps = order.map((key, index) => {
        const { item, operation } = byKey.get(key) ?? { item: {} };
        const resolve = numberOf(keyString(item['resolve']));
        const reject = numberOf(keyString(item['reject']));
        return {
            number: index + 1,
            // A deleted flow takes all its operations with it (docs/directus-config-facts.md C7).
            kind: flowDeleted ? 'delete' : (operation?.kind ?? 'unchanged'),
            key: keyString(item['key']),
            type: keyString(item['type']),
            ...(resolve !== undefined ? { resolve } : {}),
            ...(reject !== undefined ? { reject } : {}),
            changes: operation?.kind === 'update'
                ? changeTexts('operations', operation.changes, records)
                : operation?.kind === 'create'
                    ? secretNotes(operation.changes, 'operations', new Set())
                    : [],
            risks: operation !== undefined ? risksOf(operation.label) : []
        };
    });
    const deleted = deletedOperations.map((operation, index) => {
        const before = operation.before ?? {};
        return {
            number: steps.length + index + 1,
            kind: 'delete',
            key: keyString(before['key']) || operation.label,
            type: keyString(before['type']),
            changes: [],
            risks: risksOf(operation.label)
        };
    });
    return { steps, deleted };
}
// ---------------------------------------------------------------------------
// Records: what the report knows of each record before and after the plan
class RecordIndex {
    byCollection = new Map();
    constructor(plan, operations) {
        for (const [collection, items] of Object.entries(plan.related ?? {})) {
            for (const item of items)
                this.put(collection, keyString(item['id']), item);
        }
        // Each record once (byRecord): what it is after the plan, or what it was before a delete.
        for (const operation of operations) {
            const key = this.keyOf(operation);
            const known = this.find(operation.collection, key);
            if (operation.kind === 'create')
                this.put(operation.collection, key, operation.values);
            else if (operation.kind === 'update')
                this.put(operation.collection, key, { ...(operation.before ?? known), ...operation.values });
            else if (operation.before !== undefined && known === undefined)
                this.put(operation.collection, key, operation.before);
        }
    }
    keyOf(operation) {
        return keyString(operation.key ?? (operation.kind === 'create' ? operation.values['id'] : undefined) ?? operation.before?.['id']);
    }
    /** The record after the plan (before it, for a delete or unlink). */
    after(operation) {
        if (operation.kind === 'create')
            return operation.values;
        const known = this.find(operation.collection, this.keyOf(operation));
        if (operation.kind === 'update')
            return known ?? { ...operation.before, ...operation.values };
        return operation.before ?? known ?? {};
    }
    find(collection, key) {
        return this.byCollection.get(collection)?.get(key);
    }
    all(collection) {
        return [...(this.byCollection.get(collection)?.values() ?? [])];
    }
    /** A record's name (its key when the report does not know it). */
    nameOf(collection, key) {
        const item = this.find(collection, keyString(key));
        // Operations are told by their key within the flow; their name is optional.
        const name = item?.[collection === 'operations' ? 'key' : 'name'];
        return typeof name === 'string' && name !== '' ? name : keyString(key) || '?';
    }
    put(collection, key, item) {
        let items = this.byCollection.get(collection);
        if (items === undefined)
            this.byCollection.set(collection, (items = new Map()));
        items.set(key, item);
    }
}
function keyString(value) {
    return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}
// ---------------------------------------------------------------------------
// Secrets
/** Key names whose values are secrets wherever they sit in options, headers or settings. */
const SECRET_NAME = /authorization|token|passw(or)?d|secret|api[_-]?key|(^|[_-])key$|credential|cookie|private/i;
/** Top-level fields that are identities, not secrets, although their names end in "key". */
const IDENTITY_FIELDS = new Set(['key']);
const HIDDEN = '(secret)';
/** Whether a change at this path holds a secret: by key name, a request header's value, or a settings key. */
function config_model_isSecretPath(collection, segments) {
    return segments.some((segment, index) => {
        if (index === 0 && collection !== 'settings' && IDENTITY_FIELDS.has(segment))
            return false;
        if (segment === 'headers' || segment === 'basemaps')
            return true;
        return SECRET_NAME.test(segment);
    });
}
/** 'options.headers[0].value' → ['options', 'headers', '0', 'value'] */
function pathSegments(path) {
    return path.split(/[.[\]]+/).filter((segment) => segment !== '');
}
/**
 * A value with everything secret taken out, for showing: values under secret-sounding keys and request header
 * values become "(secret)"; credentials and secret query parameters in URLs, and bearer tokens in text, too.
 */
function displayValue(value) {
    if (typeof value === 'string')
        return scrubText(value);
    if (Array.isArray(value))
        return value.map(displayValue);
    if (typeof value === 'object' && value !== null) {
        const record = value;
        const isHeader = 'header' in record;
        return Object.fromEntries(Object.entries(record).map(([key, inner]) => [
            key,
            (isHeader && key === 'value') || SECRET_NAME.test(key) ? HIDDEN : displayValue(inner)
        ]));
    }
    return value;
}
const URL_CREDENTIALS = /(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/@?#]*@/gi;
const SECRET_QUERY = /([?&;][^=&#\s]*(?:token|key|secret|passw(?:or)?d|sig|auth)[^=&#\s]*=)[^&#\s]*/gi;
const BEARER = /\b(bearer|basic|token)\s+[A-Za-z0-9._~+/=-]{6,}/gi;
const SECRET_JSON_PAIR = /("[^"]*(?:authorization|token|passw(?:or)?d|secret|api[_-]?key)[^"]*"\s*:\s*)"(?:[^"\\]|\\.)*"/gi;
function scrubText(text) {
    return text
        .replace(URL_CREDENTIALS, `$1${HIDDEN}@`)
        .replace(SECRET_QUERY, `$1${HIDDEN}`)
        .replace(BEARER, `$1 ${HIDDEN}`)
        .replace(SECRET_JSON_PAIR, `$1"${HIDDEN}"`);
}

;// CONCATENATED MODULE: ./src/report/escape.ts
/**
 * Every string that comes from a schema (names, notes, options, translations,
 * any JSON value) passes through here before it reaches a PR comment. The
 * output is inert in every place the renderer puts it: headings, list items,
 * table cells, `<summary>` and GitHub alerts.
 *
 * How:
 * - HTML and Markdown punctuation becomes numeric character references, which
 *   CommonMark shows as literal characters and never as syntax; `<`, `>` gone
 *   means no tag and no `<!--`/`-->` can ever be formed, `|` gone means no
 *   table cell can be split.
 * - GitHub links @mentions and #123 after entities are decoded, so a zero-width
 *   space goes after `@`/`#` when a name or number follows (as Dependabot does).
 *   Code elements are exempt from that linking and do not need it.
 * - Control, format (bidi, zero-width), separator and filler characters, and
 *   every Default_Ignorable_Code_Point (variation selectors, the combining
 *   grapheme joiner, unassigned ignorables) become visible escapes such as
 *   `\u202E`, so nothing can reorder or hide text.
 * - A combining mark becomes an escape too when it has no letter or digit to
 *   sit on (start of text, a space, punctuation, an escape), or when its
 *   letter could be spelled as one precomposed character (`e` + U+0301 and
 *   `é`, not in NFC): two names that differ must not look the same.
 * - Long strings are cut on the raw text, before escaping, so a cut can never
 *   land inside a tag or an escape.
 */
/** Default longest raw text shown inline; long notes stay readable in table cells. */
const DEFAULT_INLINE_MAX = 500;
const DEFAULT_JSON_VALUE_MAX = 200;
const ZERO_WIDTH_SPACE = '&#8203;';
/** Characters with a meaning in HTML or GitHub Markdown, everywhere we put text. */
const SYNTAX = /[&<>"'\\`*_[\]|~$!#@]/;
/** Control, format, surrogate, line/paragraph separator, Hangul filler, default-ignorable and bidi control characters. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\p{Bidi_Control}\u115F\u1160\u3164\uFFA0]/u;
/** A combining mark: shown as is only on a letter or digit it cannot be confused on (see looseMarks). */
const MARK = /\p{M}/u;
/** One pattern for inline text and code: inside a raw `<code>` element Markdown is still parsed. */
const NEEDS_ESCAPE = new RegExp(`${SYNTAX.source}|${INVISIBLE.source}|${MARK.source}`, 'gu');
/** What a link filter would take as the start of a mention or an issue reference. */
const LINKABLE_NEXT = /^[\p{L}\p{N}_-]/u;
/** Markdown- and HTML-inert text for headings, lists, table cells and `<summary>`. */
function escape_escapeInline(text, maxLength = DEFAULT_INLINE_MAX) {
    const { shown, omitted } = shorten(text, maxLength);
    const loose = looseMarks();
    const escaped = shown.replace(NEEDS_ESCAPE, (char, offset, whole) => {
        if (keptMark(char, offset, whole, loose))
            return char;
        const escapedChar = escapeChar(char);
        const breaksLink = (char === '@' || char === '#') && LINKABLE_NEXT.test(whole.slice(offset + 1, offset + 3));
        return breaksLink ? escapedChar + ZERO_WIDTH_SPACE : escapedChar;
    });
    return escaped + omissionNote(omitted);
}
/** `<code>…</code>` with inert content; safe inside table cells. */
function codeInline(text, maxLength = DEFAULT_INLINE_MAX) {
    const { shown, omitted } = shorten(text, maxLength);
    const loose = looseMarks();
    const escaped = shown.replace(NEEDS_ESCAPE, (char, offset, whole) => keptMark(char, offset, whole, loose) ? char : escapeChar(char));
    return `<code>${escaped}</code>${omissionNote(omitted)}`;
}
/** A value as compact JSON in `<code>`; an absent value (undefined) says so. */
function jsonValue(value, maxLength = DEFAULT_JSON_VALUE_MAX) {
    if (value === undefined)
        return '<em>absent</em>';
    return codeInline(compactJson(value), maxLength);
}
function compactJson(value) {
    try {
        return JSON.stringify(value) ?? String(value);
    }
    catch {
        // BigInt or a cycle: never from the wire, but never worth a crash either.
        return String(value);
    }
}
function escapeChar(char) {
    const codePoint = char.codePointAt(0) ?? 0;
    return INVISIBLE.test(char) || MARK.test(char) ? visibleEscape(char) : `&#${codePoint};`;
}
/** A visible combining mark on a letter it cannot be confused on: left as it is. */
function keptMark(char, offset, whole, loose) {
    return MARK.test(char) && !INVISIBLE.test(char) && !loose(whole, offset);
}
const BASE = /[\p{L}\p{N}]/u;
const INVISIBLE_ANYWHERE = new RegExp(INVISIBLE.source, 'u');
const MARKS_FROM = /\p{M}*/uy;
/** More marks on one letter than Unicode's stream-safe text format allows (30) hide rather than spell. */
const MAX_MARK_RUN = 60;
/**
 * Judges, for one text whose marks are visited in order, whether each mark
 * must be shown as an escape. All the marks on one letter are decided
 * together, once (a text of a million marks costs one pass): when they have
 * no letter or digit to sit on (start of text, a space, punctuation, an
 * invisible character), when one of them is itself invisible (the rest would
 * sit on its escape), when there are more than a letter carries, or when the
 * letter with its marks is not in NFC (so another spelling looks the same),
 * every one of them is escaped.
 */
function looseMarks() {
    let runEnd = -1;
    let runLoose = true;
    return (whole, offset) => {
        if (offset < runEnd)
            return runLoose;
        MARKS_FROM.lastIndex = offset;
        MARKS_FROM.exec(whole);
        runEnd = MARKS_FROM.lastIndex;
        const previous = codePointBefore(whole, offset);
        const run = whole.slice(offset, runEnd);
        runLoose =
            previous === undefined ||
                !BASE.test(previous) ||
                INVISIBLE.test(previous) ||
                INVISIBLE_ANYWHERE.test(run) ||
                run.length > MAX_MARK_RUN ||
                (previous + run).normalize('NFC') !== previous + run;
        return runLoose;
    };
}
function codePointBefore(text, index) {
    if (index <= 0)
        return undefined;
    const low = text.charCodeAt(index - 1);
    const pair = index >= 2 && low >= 0xdc00 && low <= 0xdfff && (text.charCodeAt(index - 2) & 0xfc00) === 0xd800;
    return text.slice(pair ? index - 2 : index - 1, index);
}
const VISIBLE_CANDIDATES = new RegExp(`${INVISIBLE.source}|${MARK.source}`, 'gu');
/**
 * Plain text with every control, format (bidi, zero-width) and separator
 * character shown as an escape: for a terminal, where an escape sequence in a
 * schema name could otherwise recolour, move or hide what is printed.
 */
function makeVisible(text) {
    const loose = looseMarks();
    return text.replace(VISIBLE_CANDIDATES, (char, offset, whole) => keptMark(char, offset, whole, loose) ? char : visibleEscape(char));
}
const NAMED_CONTROLS = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
/** '\u202E' shown as the six characters \u202E; astral ones as \u{E0041}. */
function visibleEscape(char) {
    const named = NAMED_CONTROLS[char];
    if (named !== undefined)
        return named;
    const codePoint = char.codePointAt(0) ?? 0;
    const hex = codePoint.toString(16).toUpperCase();
    return codePoint > 0xffff ? `\\u{${hex}}` : `\\u${hex.padStart(4, '0')}`;
}
/**
 * Keeps the first maxLength code points, so a surrogate pair is never split.
 * The omitted count is in code points too, as a reader would count.
 */
function shorten(text, maxLength) {
    // A string no longer in code units than the limit is short enough in code points.
    if (text.length <= maxLength)
        return { shown: text, omitted: 0 };
    const codePoints = Array.from(text);
    if (codePoints.length <= maxLength)
        return { shown: text, omitted: 0 };
    const keep = Math.max(0, Math.floor(maxLength));
    return { shown: codePoints.slice(0, keep).join(''), omitted: codePoints.length - keep };
}
function omissionNote(omitted) {
    if (omitted === 0)
        return '';
    return `… (${omitted} more ${omitted === 1 ? 'character' : 'characters'})`;
}
/**
 * JSON for a fenced code block. Only characters inside string literals are
 * touched, and only by replacing them with the JSON escape of themselves, so
 * the text still parses to exactly the same value: `<` and `>` (the block can
 * then never contain an HTML comment delimiter) and every invisible or bidi
 * character (so the JSON cannot display differently from what it is).
 */
function jsonForCodeBlock(value, indent = 2) {
    return makeJsonTextInert(JSON.stringify(value, null, indent) ?? 'null');
}
/** Same escapes for JSON text already produced elsewhere (e.g. one item per line). */
function makeJsonTextInert(json) {
    // Diffs run to megabytes of mostly ASCII: only characters that could need
    // an escape reach the (slower) Unicode property test.
    const loose = looseMarks();
    return json.replace(JSON_CANDIDATES, (char, offset, whole) => char === '<' || char === '>' || INVISIBLE.test(char) || (MARK.test(char) && loose(whole, offset)) ? jsonEscape(char) : char);
}
/**
 * '<', '>' and everything from DEL up. Below DEL only line breaks can occur
 * raw (JSON escapes the other controls), and those are the indentation.
 */
const JSON_CANDIDATES = /[<>\u{7F}-\u{10FFFF}]/gu;
function jsonEscape(char) {
    // Per UTF-16 unit: JSON has no \u{…} form, astral characters become pairs.
    let escaped = '';
    for (let index = 0; index < char.length; index++) {
        escaped += `\\u${char.charCodeAt(index).toString(16).padStart(4, '0')}`;
    }
    return escaped;
}
/** A fence longer than any backtick run in the content, so nothing inside can close it. */
function fencedCodeBlock(content, infoString) {
    let longestRun = 0;
    for (const match of content.matchAll(/`+/g))
        longestRun = Math.max(longestRun, match[0].length);
    const fence = '`'.repeat(Math.max(3, longestRun + 1));
    return `${fence}${infoString}\n${content}\n${fence}`;
}
/**
 * The URL if it is a plain http(s) URL that can serve as a Markdown link
 * destination as is (no parentheses, spaces, angle brackets or quotes that
 * could end the link early), otherwise undefined.
 */
function linkUrl(url) {
    return /^https?:\/\/[A-Za-z0-9._~:/?#&=%+,;@-]+$/.test(url) ? url : undefined;
}

;// CONCATENATED MODULE: ./src/report/config-markdown.ts



/** A share of the comment's 65 536 characters, leaving the schema sections and the record their room. */
const CONFIG_SECTIONS_BUDGET = 30_000;
const VALUE_MAX = { full: 200, collapsed: 80, truncated: 60 };
/** A section with more rows than this is collapsed even at the full level. */
const OPEN_ROWS_MAX = 40;
/** Items listed in one alert before "… and N more". */
const ALERT_ITEMS_MAX = 30;
const NAME_MAX = 120;
const NOTE_MAX = 300;
/** The lockout names every operation that takes admin access away: said whole. */
const LOCKOUT_MAX = 2000;
const ICONS = { create: '➕', update: '✏️', delete: '➖', unlink: '✂️', unchanged: '·' };
const KIND_WORDS = {
    create: 'created',
    update: 'updated',
    delete: 'deleted',
    unlink: 'unlinked',
    unchanged: 'unchanged'
};
/** The sections as detailed as the budget allows: full, then collapsed with shorter values, then cut. */
function renderConfigSections(plan, options = {}) {
    const budget = options.budget ?? CONFIG_SECTIONS_BUDGET;
    for (const level of ['full', 'collapsed']) {
        const text = renderConfigSectionsAt(plan, level);
        if (text.length <= budget)
            return text;
    }
    return renderConfigSectionsAt(plan, 'truncated', options);
}
/** The sections show every operation at their full level within the budget: nothing collapsed to shorter values, nothing cut. */
function configShownWhole(plan, budget = CONFIG_SECTIONS_BUDGET) {
    return plan.batches.length === 0 || renderConfigSectionsAt(plan, 'full').length <= budget;
}
/** The sections at one detail level; only 'truncated' heeds the budget. */
function renderConfigSectionsAt(plan, level, options = {}) {
    const view = configReportView(plan);
    if (level !== 'truncated') {
        return joinBlocks([summaryLine(plan, view), alerts(plan, view, NO_LIMITS), ...sectionsOf(view, level)]);
    }
    const total = view.counts.create + view.counts.update + view.counts.delete;
    return truncated(plan, view, options.budget ?? CONFIG_SECTIONS_BUDGET, total, options.moreAt);
}
function summaryLine(plan, view) {
    const marks = (view.destructive.length > 0 ? ` · ⚠️ ${view.destructive.length} destructive` : '') +
        (view.risky.length > 0 ? ` · ⚡ ${view.risky.length} risky` : '') +
        (plan.lockout !== undefined ? ' · ⛔ lockout' : '');
    const parts = plan.parts.map((part) => codeInline(part)).join(', ');
    return `**Configuration** (${parts}, \`${plan.mode}\`): ${escape_escapeInline(countsText(view.counts))}${marks}`;
}
// ---------------------------------------------------------------------------
// Alerts
function alerts(plan, view, limits) {
    const blocks = [];
    if (plan.lockout !== undefined) {
        blocks.push(['> [!CAUTION]', `> **Apply refuses this plan: it would lock itself out.** ${escape_escapeInline(plan.lockout, LOCKOUT_MAX)}.`].join('\n'));
    }
    if (view.destructive.length > 0) {
        const count = view.destructive.length;
        blocks.push(alertList([
            '> [!CAUTION]',
            `> **This plan deletes configuration.** ${countOf(count, 'destructive change')}: apply refuses ${count === 1 ? 'it' : 'them'} unless destructive changes are allowed (\`allow-destructive\`).`,
            '>'
        ], view.destructive.map((operation) => `> - ➖ ${label(operation.label)}: ${escape_escapeInline(operation.destructive ?? '', NOTE_MAX)}`), limits, 'more destructive change'));
    }
    if (view.risky.length > 0) {
        const count = view.risky.length;
        blocks.push(alertList([
            '> [!WARNING]',
            `> **⚡ ${countOf(count, 'risky change')}:** ${count === 1 ? 'it gives' : 'they give'} people more access than they had. ${count === 1 ? 'It does' : 'They do'} not block the apply.`,
            '>'
        ], view.risky.map((operation) => `> - ⚡ ${label(operation.label)}: ${operation.risks.map((risk) => escape_escapeInline(risk, NOTE_MAX)).join('; ')}`), limits, 'more risky change'));
    }
    if (plan.limits.length > 0) {
        blocks.push([
            '> [!NOTE]',
            '> **What this plan cannot compare or apply:**',
            '>',
            ...plan.limits.map((limit) => `> - ${textMarkdown(limitText(limit), VALUE_MAX.full)}`)
        ].join('\n'));
    }
    return joinBlocks(blocks);
}
/** The items that fit in maxItems and maxLength; the rest counted on a last line. */
function alertList(head, items, limits, more) {
    const moreLine = (hidden) => `> - … and ${countOf(hidden, more)}`;
    const lines = [...head];
    let length = head.join('\n').length + moreLine(items.length).length + 1;
    for (const item of items.slice(0, limits.items)) {
        if (length + item.length + 1 > limits.length)
            break;
        lines.push(item);
        length += item.length + 1;
    }
    const hidden = items.length - (lines.length - head.length);
    return [...lines, ...(hidden > 0 ? [moreLine(hidden)] : [])].join('\n');
}
const NO_LIMITS = { items: Number.POSITIVE_INFINITY, length: Number.POSITIVE_INFINITY };
// ---------------------------------------------------------------------------
// Sections
function sectionsOf(view, level) {
    return view.parts.map((part) => {
        const section = sectionOf(part, VALUE_MAX[level]);
        const rows = section.blocks.reduce((sum, block) => sum + block.rows.length, 0);
        const collapsed = level !== 'full' || rows > OPEN_ROWS_MAX;
        const body = section.blocks.map(blockText).join('\n\n');
        if (body === '')
            return `#### ${section.title}\n\nNo changes.`;
        return collapsed ? `<details><summary>${section.title}</summary>\n\n${body}\n\n</details>` : `#### ${section.title}\n\n${body}`;
    });
}
function blockText(block) {
    return [block.head, ...block.rows.map((row) => row.text)].filter((line) => line !== '').join('\n');
}
function sectionOf(part, valueMax) {
    const marks = (part.destructiveCount > 0 ? ` · ⚠️ ${part.destructiveCount} destructive` : '') +
        (part.riskyCount > 0 ? ` · ⚡ ${part.riskyCount} risky` : '');
    const title = `${PART_TITLES[part.part]} — ${countOf(part.count, 'change')}${marks}`;
    const blocks = [];
    if (part.access !== undefined) {
        for (const policy of part.access.policies)
            blocks.push(...policyBlocks(policy, valueMax));
        if (part.access.roles.length > 0)
            blocks.push(operationTable('**Roles**\n\n', part.access.roles, valueMax));
    }
    for (const flow of part.flows ?? [])
        blocks.push(flowBlock(flow, valueMax));
    if (part.others !== undefined && part.others.length > 0)
        blocks.push(operationTable('', part.others, valueMax));
    return { title, blocks };
}
function policyBlocks(policy, valueMax) {
    const marks = `${policy.destructive !== undefined ? ' · ⚠️ destructive' : ''}${policy.risks.length > 0 ? ' · ⚡ risky' : ''}`;
    const heading = `##### ${ICONS[policy.kind]} policy ${codeInline(policy.name, NAME_MAX)} — ${KIND_WORDS[policy.kind]}${marks}`;
    const lines = [
        ...(policy.destructive !== undefined ? [{ text: `- **destructive:** ${escape_escapeInline(policy.destructive, NOTE_MAX)}`, count: 0 }] : []),
        ...policy.risks.map((risk) => ({ text: `- **⚡ ${escape_escapeInline(risk, NOTE_MAX)}**`, count: 0 })),
        ...policy.changes.map((change) => ({ text: `- ${textMarkdown(change, valueMax)}`, count: 0 })),
        ...policy.links.map((link) => ({
            text: `- ${ICONS[link.kind]} link ${link.details.map((detail) => textMarkdown(detail, valueMax)).join(' ')}${riskMarks(link.risks)}`,
            count: 1
        }))
    ];
    const blocks = [
        { head: lines.length > 0 ? `${heading}\n` : heading, headCount: policy.kind === 'unchanged' ? 0 : 1, rows: lines }
    ];
    if (policy.matrix.length > 0) {
        const head = [`| Collection | ${policy.actions.join(' | ')} |`, `| --- |${' --- |'.repeat(policy.actions.length)}`].join('\n');
        blocks.push({
            head,
            headCount: 0,
            rows: policy.matrix.map((row) => {
                const cells = policy.actions.map((action) => {
                    const cell = row.cells[action];
                    if (cell === undefined)
                        return '·';
                    const lines = cell.lines.map((line) => textMarkdown(line, valueMax));
                    return `${ICONS[cell.kind]} ${lines.join('<br>')}${riskMarks(cell.risks)}`;
                });
                return { text: `| ${codeInline(row.collection, NAME_MAX)} | ${cells.join(' | ')} |`, count: Object.keys(row.cells).length };
            })
        });
    }
    return blocks;
}
function flowBlock(flow, valueMax) {
    const marks = `${flow.destructive !== undefined ? ' · ⚠️ destructive' : ''}${flow.risks.length > 0 ? ' · ⚡ risky' : ''}`;
    const head = [
        `##### ${ICONS[flow.kind]} flow ${codeInline(flow.name, NAME_MAX)} — ${KIND_WORDS[flow.kind]}${marks}`,
        '',
        ...(flow.destructive !== undefined ? [`**destructive:** ${escape_escapeInline(flow.destructive, NOTE_MAX)}`, ''] : []),
        ...flow.risks.map((risk) => `**⚡ ${escape_escapeInline(risk, NOTE_MAX)}**\n`),
        `**Trigger:** ${textMarkdown(flow.trigger, valueMax)}`,
        ...flow.changes.map((change) => `- ${textMarkdown(change, valueMax)}`),
        ...(flow.unlinks > 0
            ? [`- apply first clears ${countOf(flow.unlinks, 'operation link')} (links are unique), then sets the chain below`]
            : [])
    ];
    const rows = [...flow.steps, ...flow.deleted].map((step) => ({
        text: stepMarkdown(step, valueMax),
        count: step.kind === 'unchanged' ? 0 : 1
    }));
    // A blank line between the head and a numbered list, none after a head without one.
    return { head: [...head, ...(rows.length > 0 ? [''] : [])].join('\n'), headCount: flow.kind === 'unchanged' ? 0 : 1, rows };
}
function stepMarkdown(step, valueMax) {
    const links = [
        step.resolve !== undefined ? `then → ${step.resolve}` : '',
        step.reject !== undefined ? `otherwise → ${step.reject}` : ''
    ].filter((link) => link !== '');
    const what = `${ICONS[step.kind]} ${codeInline(step.key, NAME_MAX)}${step.type !== '' ? ` · ${codeInline(step.type, NAME_MAX)}` : ''}`;
    const kind = step.kind === 'unchanged' ? '' : ` — ${KIND_WORDS[step.kind]}`;
    const changes = step.changes.map((change) => `\n   - ${textMarkdown(change, valueMax)}`).join('');
    return `${step.number}. ${what}${kind}${links.length > 0 ? ` · ${links.join(' · ')}` : ''}${riskMarks(step.risks)}${changes}`;
}
const TABLE_HEAD = '| Change | Item | Details |\n| --- | --- | --- |';
function operationTable(heading, operations, valueMax) {
    return {
        head: `${heading}${TABLE_HEAD}`,
        headCount: 0,
        rows: operations.map((operation) => {
            const marks = `${operation.destructive !== undefined ? ' ⚠️' : ''}${operation.risks.length > 0 ? ' ⚡' : ''}`;
            const details = [
                ...(operation.destructive !== undefined ? [`**destructive:** ${escape_escapeInline(operation.destructive, NOTE_MAX)}`] : []),
                ...operation.risks.map((risk) => `**⚡ ${escape_escapeInline(risk, NOTE_MAX)}**`),
                ...operation.details.map((detail) => textMarkdown(detail, valueMax))
            ];
            return {
                text: `| ${ICONS[operation.kind]} ${operation.kind}${marks} | ${label(operation.label)} | ${details.length > 0 ? details.join('<br>') : '—'} |`,
                count: 1
            };
        })
    };
}
function riskMarks(risks) {
    return risks.map((risk) => ` ⚡ **${escape_escapeInline(risk, NOTE_MAX)}**`).join('');
}
// ---------------------------------------------------------------------------
// Truncation
/**
 * Alerts first (at most ALERT_ITEMS_MAX items each), then sections, collapsed, row by row until the budget is
 * spent; then how many changes are not shown. A started table is closed with what it has.
 */
function truncated(plan, view, budget, total, moreAt) {
    const notice = (omitted) => `**${omitted} of ${countOf(total, 'configuration change')} not shown here** to stay within the size limit` +
        (moreAt !== undefined ? `; ${escape_escapeInline(moreAt, NOTE_MAX)} has them all.` : '.');
    // The alerts may take half the room (a quarter each): the sections are the other half of the story.
    const fixed = joinBlocks([summaryLine(plan, view), alerts(plan, view, { items: ALERT_ITEMS_MAX, length: Math.floor(budget / 4) })]);
    let room = budget - fixed.length - 2 - notice(total).length - 2;
    const out = [];
    let shown = 0;
    let stop = false;
    for (const part of view.parts) {
        const section = sectionOf(part, VALUE_MAX.truncated);
        if (section.blocks.length === 0) {
            const empty = `#### ${section.title}\n\nNo changes.`;
            if (empty.length + 2 > room)
                break;
            room -= empty.length + 2;
            out.push(empty);
            continue;
        }
        const opening = `<details><summary>${section.title}</summary>\n\n`;
        const closing = '\n\n</details>';
        room -= opening.length + closing.length + 2;
        const pieces = [];
        for (const block of section.blocks) {
            const separator = pieces.length > 0 ? 2 : 0;
            // A head is only worth its room with its first row (a table head alone says nothing).
            const firstRow = block.rows[0] !== undefined ? block.rows[0].text.length + 1 : 0;
            if (block.head.length + separator + firstRow > room) {
                stop = true;
                break;
            }
            room -= block.head.length + separator;
            shown += block.headCount;
            const lines = [block.head];
            for (const row of block.rows) {
                if (row.text.length + 1 > room) {
                    stop = true;
                    break;
                }
                room -= row.text.length + 1;
                lines.push(row.text);
                shown += row.count;
            }
            pieces.push(lines.join('\n'));
            if (stop)
                break;
        }
        if (pieces.length > 0)
            out.push(`${opening}${pieces.join('\n\n')}${closing}`);
        if (stop || room < 0)
            break;
    }
    const omitted = total - shown;
    return joinBlocks([fixed, ...out, omitted > 0 ? notice(omitted) : '']);
}
// ---------------------------------------------------------------------------
// Text
/** An operation's label: instance text, so escaped, in code like every name. */
function label(text) {
    return codeInline(text, NAME_MAX);
}
function textMarkdown(text, valueMax) {
    return text
        .map((part) => {
        if (typeof part === 'string')
            return escape_escapeInline(part, NOTE_MAX);
        if ('code' in part)
            return codeInline(part.code, NAME_MAX);
        return jsonValue(part.value, valueMax);
    })
        .join('');
}
function joinBlocks(blocks) {
    return blocks.filter((block) => block !== '').join('\n\n');
}

;// CONCATENATED MODULE: ./src/report/comment.ts
/**
 * The one PR comment per target: written by writeComment, read back by
 * parseComment, nothing else builds or picks apart its text.
 *
 * Layout (every section boundary is a hidden HTML comment; escaped schema text
 * never contains `<!--` or `-->`, and writeComment refuses sections that do):
 *
 *   <!-- directus-schema-plan target=<percent-encoded target> -->
 *   <!-- directus-schema-plan record=<record> -->          (only with a record)
 *   ### Directus schema plan for <target>
 *
 *   <summary line>
 *
 *   <!-- directus-schema-plan status=<state> -->
 *   <status text>
 *
 *   <!-- directus-schema-plan /status -->
 *
 *   <!-- directus-schema-plan body -->
 *   <body>
 *
 *   <!-- directus-schema-plan /body -->
 *
 * The blank lines before the closing markers end any list, quote or HTML block
 * a section ends with, so the markers never become part of it.
 */

/** GitHub refuses issue comments longer than this. */
const comment_COMMENT_LIMIT = 65_536;
const TAG = 'directus-schema-plan';
const STATES = ['planned', 'no-changes', 'applied', 'refused', 'failed'];
const RECORD_CHARS = /^[A-Za-z0-9._~-]+$/;
/** Longest target name shown in the heading; the marker always carries all of it. */
const HEADING_TARGET_MAX = 100;
/** The hidden first line that identifies the comment of one target. */
function commentMarker(targetName) {
    return `<!-- ${TAG} target=${encodeTargetName(targetName)} -->`;
}
function writeComment(comment) {
    const { targetName, record, summary, body, status } = comment;
    if (/\p{Cs}/u.test(targetName))
        throw new TypeError('target name contains a lone surrogate and cannot round-trip');
    if (record !== undefined && !RECORD_CHARS.test(record)) {
        throw new TypeError('record must be non-empty and use only A-Z a-z 0-9 . _ ~ -');
    }
    if (!STATES.includes(status.state))
        throw new TypeError(`unknown status state: ${String(status.state)}`);
    assertSection('summary', summary);
    if (summary.includes('\n'))
        throw new TypeError('summary must be a single line');
    assertSection('status text', status.text);
    assertSection('body', body);
    return [
        commentMarker(targetName),
        ...(record !== undefined ? [`<!-- ${TAG} record=${record} -->`] : []),
        `### Directus schema plan for ${escape_escapeInline(targetName, HEADING_TARGET_MAX)}`,
        '',
        summary,
        '',
        `<!-- ${TAG} status=${status.state} -->`,
        status.text,
        '',
        `<!-- ${TAG} /status -->`,
        '',
        `<!-- ${TAG} body -->`,
        body,
        '',
        `<!-- ${TAG} /body -->`
    ].join('\n');
}
/** Sections are ours, but a stray delimiter would make the comment unparsable: fail at write time. */
function assertSection(name, text) {
    if (text.includes('<!--') || text.includes('-->'))
        throw new TypeError(`${name} must not contain <!-- or -->`);
    if (text.includes('\r'))
        throw new TypeError(`${name} must not contain carriage returns`);
}
const COMMENT_PATTERN = new RegExp([
    `^<!-- ${TAG} target=(?<target>[A-Za-z0-9._~%]*) -->\\n`,
    `(?:<!-- ${TAG} record=(?<record>[A-Za-z0-9._~-]+) -->\\n)?`,
    '### [^\\n]*\\n\\n',
    '(?<summary>[^\\n]*)\\n\\n',
    `<!-- ${TAG} status=(?<state>[a-z-]+) -->\\n`,
    '(?<status>[\\s\\S]*?)\\n\\n',
    `<!-- ${TAG} /status -->\\n\\n`,
    `<!-- ${TAG} body -->\\n`,
    '(?<body>[\\s\\S]*)\\n\\n',
    `<!-- ${TAG} /body -->$`
].join(''));
/** The comment, or null when it is not one of ours or was edited out of shape. */
function parseComment(text) {
    // GitHub may hand back CRLF after an edit in the web UI, and trims the end.
    const normalized = text.replace(/\r\n/g, '\n').trimEnd();
    const groups = COMMENT_PATTERN.exec(normalized)?.groups;
    if (groups === undefined)
        return null;
    const targetName = decodeTargetName(groups['target'] ?? '');
    const state = STATES.find((known) => known === groups['state']);
    if (targetName === undefined || state === undefined)
        return null;
    const comment = {
        targetName,
        ...(groups['record'] !== undefined ? { record: groups['record'] } : {}),
        summary: groups['summary'] ?? '',
        body: groups['body'] ?? '',
        status: { state, text: groups['status'] ?? '' }
    };
    // Anything the pattern let through that writeComment would not produce
    // (a hand-edited heading, a delimiter smuggled into a section) is not ours.
    try {
        return writeComment(comment) === normalized ? comment : null;
    }
    catch {
        return null;
    }
}
/** The comment with only its status replaced, or null when it cannot be parsed. */
function replaceStatus(text, status) {
    const comment = parseComment(text);
    return comment === null ? null : writeComment({ ...comment, status });
}
/**
 * UTF-8 percent-encoding of everything but A-Z a-z 0-9 . _ ~, so the marker
 * never contains '-' (hence no '--'), '>' or spaces.
 */
function encodeTargetName(targetName) {
    let encoded = '';
    for (const byte of new TextEncoder().encode(targetName)) {
        const char = String.fromCharCode(byte);
        encoded += /[A-Za-z0-9._~]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
    return encoded;
}
function decodeTargetName(encoded) {
    try {
        return decodeURIComponent(encoded);
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/report/facts.ts
/**
 * The few facts a reviewer checks first about a created or deleted
 * collection, field or relation, as structured parts. Each renderer (Markdown
 * for GitHub, plain text for a terminal) formats and escapes the parts its own
 * way; the choice of facts is made once, here.
 */

function definitionFacts(entity, definition) {
    if (!isPlainObject(definition))
        return [];
    const meta = isPlainObject(definition['meta']) ? definition['meta'] : {};
    const schema = definition['schema'];
    const facts = [];
    const code = (value) => ({ code: typeof value === 'string' ? value : (JSON.stringify(value) ?? '') });
    const words = (text) => [{ text }];
    switch (entity) {
        case 'collection':
            // A collection created without a `schema` key is a folder too: Directus makes no table for it.
            facts.push(words(schema === null || schema === undefined ? 'folder (no table)' : 'table'));
            if (meta['singleton'] === true)
                facts.push(words('singleton'));
            if (meta['hidden'] === true)
                facts.push(words('hidden'));
            if (facts_isPresent(meta['group']))
                facts.push([{ text: 'in ' }, code(meta['group'])]);
            break;
        case 'field':
        case 'systemField':
            if (facts_isPresent(definition['type']))
                facts.push([code(definition['type'])]);
            if (schema === null)
                facts.push(words('no column (alias)'));
            else if (isPlainObject(schema))
                facts.push(...columnFacts(schema, code));
            if (facts_isPresent(meta['interface']))
                facts.push([{ text: 'interface ' }, code(meta['interface'])]);
            if (meta['required'] === true)
                facts.push(words('required'));
            if (meta['hidden'] === true)
                facts.push(words('hidden'));
            break;
        case 'relation':
            if (isPlainObject(schema) && facts_isPresent(schema['on_delete']))
                facts.push([{ text: 'on delete ' }, code(schema['on_delete'])]);
            if (facts_isPresent(meta['one_field']))
                facts.push([{ text: 'alias field ' }, code(meta['one_field'])]);
            if (facts_isPresent(meta['junction_field']))
                facts.push([{ text: 'junction field ' }, code(meta['junction_field'])]);
            if (facts_isPresent(meta['one_allowed_collections'])) {
                facts.push([{ text: 'allowed collections ' }, { json: meta['one_allowed_collections'] }]);
            }
            break;
    }
    const note = meta['note'];
    if (typeof note === 'string' && note !== '')
        facts.push([{ text: 'note: ' }, { note }]);
    return facts;
}
function columnFacts(schema, code) {
    const facts = [];
    const dataType = schema['data_type'];
    if (facts_isPresent(dataType)) {
        // Precision is noise on integers and floats; on decimals it is the type.
        const size = facts_isPresent(schema['max_length'])
            ? `(${String(schema['max_length'])})`
            : facts_isPresent(schema['numeric_precision']) && /decimal|numeric/i.test(String(dataType))
                ? `(${String(schema['numeric_precision'])}${facts_isPresent(schema['numeric_scale']) ? `,${String(schema['numeric_scale'])}` : ''})`
                : '';
        facts.push([{ text: 'column ' }, code(`${typeof dataType === 'string' ? dataType : JSON.stringify(dataType)}${size}`)]);
    }
    if (schema['is_primary_key'] === true)
        facts.push([{ text: 'primary key' }]);
    if (schema['is_nullable'] === false)
        facts.push([{ text: 'not null' }]);
    if (schema['is_unique'] === true)
        facts.push([{ text: 'unique' }]);
    if (facts_isPresent(schema['default_value']))
        facts.push([{ text: 'default ' }, { json: schema['default_value'] }]);
    if (facts_isPresent(schema['foreign_key_table'])) {
        const column = facts_isPresent(schema['foreign_key_column']) ? `.${String(schema['foreign_key_column'])}` : '';
        facts.push([{ text: 'references ' }, code(`${String(schema['foreign_key_table'])}${column}`)]);
    }
    return facts;
}
function facts_isPresent(value) {
    return value !== undefined && value !== null && value !== '';
}

;// CONCATENATED MODULE: ./src/report/model.ts

function planReport(plan, context) {
    return {
        targetName: context.targetName,
        hash: plan.kind === 'changes' ? plan.hash : null,
        diff: plan.kind === 'changes' ? plan.diff : null,
        changes: plan.changes,
        skipped: plan.skipped,
        noise: plan.noise,
        ...(plan.counting?.stopped ? { counting: plan.counting } : {}),
        base: { ...plan.base, url: context.baseLocation },
        target: { ...plan.target, url: context.targetLocation },
        warnings: plan.warnings,
        mode: plan.mode,
        ...(context.scope ? { scope: context.scope } : {}),
        allowDestructiveSetting: context.allowDestructiveSetting,
        ...(context.runUrl ? { runUrl: context.runUrl } : {}),
        ...(context.diffFile ? { diffFile: context.diffFile } : {}),
        ...(context.config ? { config: context.config } : {}),
        ...(context.schemaNotPromoted ? { schemaNotPromoted: true } : {})
    };
}
/** The configuration operations of the plan; none without a configuration part. */
function configOperationsOf(input) {
    return input.config ? input.config.batches.flatMap((batch) => batch.operations) : [];
}
const STATE_OF_ACTION = {
    create: ['new collection', 'new folder'],
    update: ['collection settings changed', 'folder settings changed'],
    delete: ['deleted collection', 'deleted folder']
};
/** One group per collection, in the changes' order (which describeChanges sorts by collection). */
function groupByCollection(changes) {
    const byName = new Map();
    for (const change of changes) {
        const group = byName.get(change.collection);
        if (group === undefined)
            byName.set(change.collection, [change]);
        else
            group.push(change);
    }
    return [...byName].map(([collection, members]) => {
        const own = members.find((change) => change.entity === 'collection');
        return {
            collection,
            changes: members,
            state: own === undefined ? 'existing collection' : STATE_OF_ACTION[own.action][own.folder === true ? 1 : 0],
            ...(own ? { own } : {}),
            destructiveCount: members.filter((change) => change.destructive).length,
            riskyCount: members.filter((change) => change.risks.length > 0).length,
            failingCount: members.filter((change) => change.failure !== undefined).length
        };
    });
}
function destructiveChanges(input) {
    return input.changes.filter((change) => change.destructive);
}
function riskyChangesOf(input) {
    return input.changes.filter((change) => change.risks.length > 0);
}
/** The changes that cannot succeed, each said once (a new collection's fields with the collection). */
function failingChangesOf(input) {
    return rootFailures(input.changes);
}
function alertsOf(input) {
    const succeeds = (change) => change.failure === undefined;
    return {
        failing: failingChangesOf(input),
        destructive: destructiveChanges(input).filter(succeeds),
        risky: riskyChangesOf(input).filter(succeeds),
        warnings: otherWarnings(input)
    };
}
/** Changes with a warning that is not already said by the destructive or failure alerts. */
function otherWarnings(input) {
    return input.changes.filter((change) => change.warning !== undefined && !change.destructive && change.failure === undefined);
}
/** What the report says apply needs before it applies destructive changes. */
function allowDestructiveRequirement(input) {
    return input.allowDestructiveSetting === 'flag' ? '--allow-destructive' : 'allow-destructive: true';
}

;// CONCATENATED MODULE: ./src/report/stakes.ts

const ENFORCING_VENDORS = ['sqlite', 'postgres'];
/** The words for one stake, or undefined when it was not counted at all (counting was not asked for). */
function stakeWords(change, stake, vendor) {
    const question = stake.question;
    const field = [{ code: change.field ?? '' }];
    if (stake.count === undefined)
        return stake.unknown === undefined ? undefined : [`${UNKNOWN_NOUNS[question.kind]} unknown: ${stake.unknown}`];
    const count = stake.count;
    const fails = count > 0 && ENFORCING_VENDORS.includes(vendor ?? '') ? 'apply will fail: ' : '';
    switch (question.kind) {
        case 'rows':
            if (change.action === 'delete')
                return [`${countOf(count, 'row')} ${count === 1 ? 'is' : 'are'} dropped`];
            return count === 0 ? ['the collection has no rows yet'] : [`${fails}${countOf(count, 'row')} would get no value for `, ...field];
        case 'values':
            return change.action === 'delete'
                ? [`${countOf(count, 'value')} ${count === 1 ? 'is' : 'are'} dropped`]
                : [`${countOf(count, 'value')} ${count === 1 ? 'is' : 'are'} converted`];
        case 'nulls':
            return count === 0 ? ['no row lacks ', ...field] : [`${fails}${countOf(count, 'row')} ${count === 1 ? 'has' : 'have'} no `, ...field];
        case 'duplicates':
            return count === 0
                ? ['no value of ', ...field, ' repeats']
                : [`${fails}${countOf(count, 'row')} repeat${count === 1 ? 's' : ''} a value of `, ...field];
        case 'longer': {
            const longer = `${countOf(count, 'value')} ${count === 1 ? 'is' : 'are'} longer than ${question.limit} characters`;
            if (count === 0)
                return [`no value is longer than ${question.limit} characters`];
            if (vendor === 'postgres')
                return [`${countOf(count, 'value')} ${count === 1 ? 'is' : 'are'} cut to ${question.limit} characters`];
            if (vendor === 'sqlite')
                return [`${longer}; SQLite keeps them as they are`];
            return [longer];
        }
    }
}
const UNKNOWN_NOUNS = {
    rows: 'row count',
    values: 'value count',
    nulls: 'count of rows without a value',
    duplicates: 'count of repeated values',
    longer: 'count of longer values'
};

;// CONCATENATED MODULE: ./src/report/markdown.ts
/**
 * Renders a plan for people: the PR comment and the job summary. A reviewer
 * must get the gist in ten seconds (summary line, destructive alert, one
 * section per collection) and be able to check every detail (property paths
 * with before → after, and the raw diff itself).
 *
 * Schema text only ever enters through escape.ts; everything else here is our
 * own Markdown.
 */











/** GitHub refuses job summaries larger than 1 MiB. */
const JOB_SUMMARY_LIMIT = (/* unused pure expression or super */ null && (1024 * 1024));
/** Most detailed first: each step is smaller than the one before. */
const DETAIL_LEVELS = ['full', 'collapsed', 'no-raw', 'truncated'];
const STYLES = {
    full: { collapsed: false, valueMax: 200, editsPerRow: Number.POSITIVE_INFINITY, raw: 'pretty' },
    collapsed: { collapsed: true, valueMax: 80, editsPerRow: 20, raw: 'one-item-per-line' },
    'no-raw': { collapsed: true, valueMax: 80, editsPerRow: 20, raw: 'none' },
    truncated: { collapsed: true, valueMax: 60, editsPerRow: 10, raw: 'none' }
};
/** Longest raw collection, field or relation name shown; Directus itself allows 64. */
const markdown_NAME_MAX = 120;
/** Longest raw server fact (version, vendor, URL, hash, file name). */
const FACT_MAX = 200;
/** Longest raw note or warning shown. */
const markdown_NOTE_MAX = 300;
/** At 'truncated', destructive changes listed in the alert before "… and N more". */
const TRUNCATED_CAUTION_ITEMS = 50;
const ACTION_ICONS = { create: '➕', update: '✏️', delete: '➖' };
// ---------------------------------------------------------------------------
// Status and summary line
/**
 * The status a fresh plan gets: what merging will do, said before anyone
 * merges. It says what apply requires, never what the apply job's inputs
 * are: the plan job cannot know them.
 */
function planStatus(input) {
    const target = `<b>${escape_escapeInline(input.targetName, markdown_NAME_MAX)}</b>`;
    const configCount = configOperationsOf(input).length;
    if (input.changes.length === 0 && configCount === 0) {
        const skipped = input.skipped.length > 0 ? ` Directus will skip ${countOf(input.skipped.length, 'item')} of the diff (see below).` : '';
        return {
            state: 'no-changes',
            text: `✅ **No changes:** the ${promotedWords(input)} of ${target} already ${input.config && !input.schemaNotPromoted ? 'match' : 'matches'} the base; merging applies nothing.${skipped}`
        };
    }
    const lockout = input.config?.lockout;
    if (lockout !== undefined) {
        return {
            state: 'planned',
            text: `❌ **This plan cannot be applied:** it would remove admin access from the identity apply runs as on ${target} (${escape_escapeInline(lockout, markdown_NOTE_MAX)}), ` +
                'so apply refuses it and nothing is applied. Keep another admin policy on that identity, then re-run the plan.'
        };
    }
    const failing = failingChangesOf(input).length;
    if (failing > 0) {
        return {
            state: 'planned',
            text: `❌ **This plan cannot be applied:** ${countOf(failing, 'change')} cannot succeed as the diff describes ${failing === 1 ? 'it' : 'them'} (see below), ` +
                `so apply refuses it and nothing reaches ${target}. Fix the base schema, then re-run the plan.`
        };
    }
    const destructiveCount = destructiveChanges(input).length + (input.config ? configDeletesOf(input.config).length : 0);
    const refusalNote = `If the target's ${promotedWords(input)} ${input.config && !input.schemaNotPromoted ? 'change' : 'changes'} before the merge, the apply is refused instead of guessing.`;
    const risky = riskyChangesOf(input).length + (input.config?.risks.length ?? 0);
    const riskyNote = risky > 0
        ? ` ${countOf(risky, 'risky change')} ${risky === 1 ? 'is' : 'are'} marked ⚡ below; ${risky === 1 ? 'it does' : 'they do'} not block the apply.`
        : '';
    if (destructiveCount > 0) {
        return {
            state: 'planned',
            text: `⛔ **Destructive:** this plan has ${countOf(destructiveCount, 'destructive change')}. ` +
                `Apply refuses ${destructiveCount === 1 ? 'it' : 'them'} unless ${applyNeeds(input)}; with that, merging applies exactly this diff to ${target}. ` +
                refusalNote +
                riskyNote
        };
    }
    return {
        state: 'planned',
        text: `🕓 **Planned:** merging this pull request applies exactly this diff to ${target}. ${refusalNote}${riskyNote}`
    };
}
/** 'schema', 'configuration' or 'schema and configuration': what this plan compares. */
function promotedWords(input) {
    if (!input.config)
        return 'schema';
    return input.schemaNotPromoted ? 'configuration' : 'schema and configuration';
}
/** Said under a plan whose apply needs an approval (`require-approval`), so reviewers know when to approve. */
const APPROVAL_NOTE = 'Apply needs an approval of this plan: approvals given before this plan was last updated do not count, nor do approvals of another commit.';
/** The plan's status with the approval rule added, when apply will enforce it. */
function withApprovalNote(status) {
    return status.state === 'planned' ? { ...status, text: `${status.text} ${APPROVAL_NOTE}` } : status;
}
/** "the apply job sets `allow-destructive: true`", or the command line's flag. */
function applyNeeds(input) {
    const setting = codeInline(allowDestructiveRequirement(input));
    return input.allowDestructiveSetting === 'flag' ? `it is run with ${setting}` : `the apply job sets ${setting}`;
}
/** The one line under the heading: counts of changes, and of those to look at first. */
function renderSummaryLine(input) {
    const count = (label, n) => (n > 0 ? ` · ${label.replace('#', String(n))}` : '');
    const schema = input.schemaNotPromoted ? [] : [escape_escapeInline(summarizeChanges([...input.changes]))];
    const config = input.config ? [`configuration ${escape_escapeInline(summarizeOperations(configOperationsOf(input)))}`] : [];
    return (`**Changes:** ${[...schema, ...config].join(' · ')}` +
        count('⚠️ # destructive configuration', input.config ? configDeletesOf(input.config).length : 0) +
        count('⚡ # risky configuration', input.config?.risks.length ?? 0) +
        count('⚠️ # destructive', destructiveChanges(input).length) +
        count('⚡ # risky', riskyChangesOf(input).length) +
        count('❌ # cannot succeed', failingChangesOf(input).length) +
        count('⏭️ # skipped', input.skipped.length));
}
/** Any digest will do to measure a record: all of them have this length. */
const PLACEHOLDER_DIGEST = `sha256:${'0'.repeat(64)}`;
/** First in the body of a comment that cannot show the whole plan: inside what the record signs. */
const PARTIAL_REVIEW_NOTE = "> [!WARNING]\n> **Not the whole plan:** GitHub's size limit keeps this comment from showing all of it (what is left out is said below). " +
    'Apply refuses a plan its reviewers could not see whole, unless the apply job sets `allow-partial-review: true`.';
/**
 * A level shows the whole plan when it carries the raw diff, whatever its table had to shorten, and the
 * configuration's sections (which have no raw form) fit their share of the comment at their full level.
 */
function showsWholePlan(input, level) {
    const schemaWhole = STYLES[level].raw !== 'none' || input.diff === null;
    return schemaWhole && (input.config === undefined || configShownWhole(input.config));
}
/**
 * The PR comment, as detailed as the limit allows. At each detail level every
 * record is tried, most complete first, before giving up detail. A record is
 * sealed last, over the digest of the summary and body it sits beside, the
 * digest of the status written with it, and whether the comment shows the
 * whole plan (a comment that does not says so first in its body).
 * Throws a RangeError only when not even a truncated body fits beside the
 * heading, status and the shortest record.
 */
function renderPlanComment(input, options) {
    const limit = options.limit ?? comment_COMMENT_LIMIT;
    const records = options.records !== undefined && options.records.length > 0 ? options.records : [undefined];
    const summary = renderSummaryLine(input);
    const status = statusDigest(options.status);
    const bodies = new BodyRenderer(input, 'comment');
    const measured = new Map();
    const placeholderOf = (seal, shown) => {
        const byCompleteness = measured.get(seal) ?? new Map();
        measured.set(seal, byCompleteness);
        let placeholder = byCompleteness.get(shown.complete);
        if (placeholder === undefined)
            byCompleteness.set(shown.complete, (placeholder = seal(PLACEHOLDER_DIGEST, shown)));
        return placeholder;
    };
    for (const [level, seal] of commentCandidates(records)) {
        const comment = { targetName: input.targetName, summary, status: options.status };
        const shown = { complete: showsWholePlan(input, level), statusDigest: status };
        const note = shown.complete ? '' : `${PARTIAL_REVIEW_NOTE}\n\n`;
        const placeholder = seal === undefined ? undefined : placeholderOf(seal, shown);
        // The body sits verbatim in the frame, so lengths simply add up.
        const frameLength = writeComment({ ...comment, ...(placeholder !== undefined ? { record: placeholder } : {}), body: '' }).length;
        const fitted = bodies.fitting(level, limit - frameLength - note.length);
        if (fitted !== undefined) {
            const body = note + fitted;
            const record = seal?.(visiblePlanDigest(summary, body), shown);
            if (record !== undefined && record.length !== placeholder?.length)
                throw new Error('a sealed record changed length with its digest');
            return {
                text: writeComment({ ...comment, ...(record !== undefined ? { record } : {}), body }),
                level,
                complete: shown.complete,
                ...(record !== undefined ? { record } : {})
            };
        }
    }
    throw new RangeError(`the plan comment cannot fit in ${limit} characters, not even truncated`);
}
/**
 * The order in which detail and records give way. The packed diff in the most
 * complete record is what lets apply use exactly the reviewed diff, so it
 * outranks the raw JSON shown in the comment (the job summary keeps that).
 */
function commentCandidates(records) {
    const untruncated = DETAIL_LEVELS.filter((level) => level !== 'truncated');
    return [
        ...records.flatMap((record) => untruncated.map((level) => [level, record])),
        ...records.map((record) => ['truncated', record])
    ];
}
/** The job summary: the same report without hidden markers, with the larger job summary limit. */
function renderJobSummary(input, options) {
    const limit = options.limit ?? JOB_SUMMARY_LIMIT;
    const frame = [
        `### Directus schema plan for ${escapeInline(input.targetName, markdown_NAME_MAX)}`,
        renderSummaryLine(input),
        options.status.text
    ].join('\n\n');
    const separator = '\n\n';
    const bodies = new BodyRenderer(input, 'job-summary');
    for (const level of DETAIL_LEVELS) {
        const body = bodies.fitting(level, limit - frame.length - separator.length);
        if (body !== undefined)
            return { text: frame + separator + body, level };
    }
    throw new RangeError(`the job summary cannot fit in ${limit} characters, not even truncated`);
}
/** The body alone at one detail level. */
function renderReportBody(input, level, options = {}) {
    const renderer = new BodyRenderer(input, options.audience ?? 'comment');
    return level === 'truncated' ? renderer.truncated(options.budget ?? COMMENT_LIMIT) : (renderer.complete(level) ?? '');
}
/**
 * Renders bodies for one input, remembering the expensive parts (raw JSON,
 * alerts) across the levels and records tried, and giving up on a level as
 * soon as it is certain not to fit: a 400-collection diff must not be rendered
 * in full just to learn that it is too large.
 */
class BodyRenderer {
    input;
    audience;
    groups;
    memo = new Map();
    rawMeasure = new RawLengthMeasure();
    constructor(input, audience) {
        this.input = input;
        this.audience = audience;
        this.groups = groupByCollection(input.changes);
    }
    /** The body at this level if it fits in budget, else undefined. */
    fitting(level, budget) {
        if (budget < 0)
            return undefined;
        if (level === 'truncated') {
            const body = this.truncated(budget);
            return body.length <= budget ? body : undefined;
        }
        return this.complete(level, budget);
    }
    /** Everything at this level; undefined once it is certain to exceed budget. */
    complete(level, budget = Number.POSITIVE_INFINITY) {
        const style = STYLES[level];
        // Any rendering of the raw diff is at least as long as its compact JSON.
        if (style.raw !== 'none' && this.input.diff !== null && this.rawMeasure.exceeds(this.input.diff, budget))
            return undefined;
        const fixedBefore = markdown_joinBlocks([
            this.remember('failures', () => failuresBlock(this.input, Number.POSITIVE_INFINITY)),
            this.remember('caution', () => cautionBlock(this.input, Number.POSITIVE_INFINITY)),
            this.remember('risky', () => riskyBlock(this.input, Number.POSITIVE_INFINITY)),
            this.remember('warnings', () => warningsBlock(this.input)),
            this.remember('notes', () => notesBlock(this.input, Number.POSITIVE_INFINITY)),
            this.remember('config', () => configBlock(this.input))
        ]);
        const fixedAfter = markdown_joinBlocks([
            style.raw === 'none' && this.input.diff !== null ? this.rawOmittedBlock() : '',
            contextBlock(this.input),
            this.rawBlock(style.raw)
        ]);
        const separators = (fixedBefore === '' ? 0 : 2) + (fixedAfter === '' ? 0 : 2);
        const sectionsBudget = budget - fixedBefore.length - fixedAfter.length - separators;
        const sections = this.input.changes.length === 0 ? noChangesBlock(this.input) : this.allSections(style, sectionsBudget);
        if (sections === undefined)
            return undefined;
        const body = markdown_joinBlocks([fixedBefore, sections, fixedAfter]);
        return body.length <= budget ? body : undefined;
    }
    allSections(style, budget) {
        const rendered = [];
        let length = 0;
        for (const group of this.groups) {
            const section = renderGroup(group, style, this.hasRaw(style), this.input.target.vendor);
            length += section.length + (rendered.length > 0 ? 2 : 0);
            if (length > budget)
                return undefined;
            rendered.push(section);
        }
        return rendered.join('\n\n');
    }
    /**
     * Collection sections row by row until the budget is spent, then a line
     * saying how much is missing and where to find it. Fixed parts are reserved
     * first so the result only exceeds the budget when even they do not fit.
     */
    truncated(budget) {
        const style = STYLES.truncated;
        const context = contextBlock(this.input);
        const warnings = markdown_joinBlocks([
            riskyBlock(this.input, TRUNCATED_CAUTION_ITEMS),
            warningsBlock(this.input),
            notesBlock(this.input, TRUNCATED_CAUTION_ITEMS)
        ]);
        // The alerts may take half the room: the sections are the other half of the story.
        const caution = markdown_joinBlocks([
            failuresBlock(this.input, TRUNCATED_CAUTION_ITEMS),
            cautionBlock(this.input, TRUNCATED_CAUTION_ITEMS, Math.floor(budget / 2)),
            // The configuration sections are reviewed as a whole: never cut.
            configBlock(this.input)
        ]);
        const total = this.input.changes.length;
        const worstPointer = [this.omissionNotice(total, total), this.rawOmittedBlock()].reduce((a, b) => (a.length >= b.length ? a : b));
        // Fixed parts in order of importance; the least important go first.
        const fixedCandidates = [[caution, warnings, context], [caution, warnings], [caution], []];
        const separators = '\n\n'.length * 4;
        for (const fixed of fixedCandidates) {
            const fixedLength = fixed.reduce((sum, block) => sum + block.length, 0) + worstPointer.length + separators;
            if (fixedLength > budget && fixed.length > 0)
                continue;
            const [cautionPart = '', warningsPart = '', contextPart = ''] = fixed;
            const sections = this.sectionsWithin(budget - fixedLength, style);
            const pointer = sections.omitted > 0
                ? this.omissionNotice(sections.omitted, total)
                : this.input.diff !== null && total > 0
                    ? this.rawOmittedBlock()
                    : '';
            return markdown_joinBlocks([cautionPart, warningsPart, sections.text, pointer, contextPart]);
        }
        return worstPointer;
    }
    sectionsWithin(budget, style) {
        if (this.input.changes.length === 0) {
            const text = noChangesBlock(this.input);
            return text.length <= budget ? { text, omitted: 0 } : { text: '', omitted: 0 };
        }
        const closing = '\n\n</details>';
        let text = '';
        let shown = 0;
        outer: for (const group of this.groups) {
            const separator = text === '' ? '' : '\n\n';
            let opening = separator + collapsedOpening(group) + markdown_TABLE_HEAD;
            for (const change of group.changes) {
                const row = `\n${renderRow(change, style, false, this.input.target.vendor)}`;
                if (text.length + opening.length + row.length + closing.length > budget) {
                    // A started group is closed with what it has; an unstarted one is skipped.
                    if (opening === '')
                        text += closing;
                    break outer;
                }
                text += opening + row;
                opening = '';
                shown++;
            }
            text += closing;
        }
        return { text, omitted: this.input.changes.length - shown };
    }
    omissionNotice(omitted, total) {
        return `**${omitted} of ${countOf(total, 'change')} not shown here** to stay within the size limit. ` + this.whereToFindEverything();
    }
    rawOmittedBlock() {
        return `The raw diff is left out to stay within the size limit. ${this.whereToFindEverything()}`;
    }
    whereToFindEverything() {
        const file = this.input.diffFile !== undefined
            ? `the file ${codeInline(this.input.diffFile, FACT_MAX)} (the \`diff-file\` output)`
            : 'the file named by the `diff-file` output';
        if (this.audience === 'job-summary')
            return `The complete diff is in ${file}.`;
        const run = this.input.runUrl !== undefined ? linkUrl(this.input.runUrl) : undefined;
        const summary = run !== undefined ? `the job summary of the [workflow run](${run})` : 'the job summary of the workflow run';
        return `Everything is in ${summary} and in ${file}.`;
    }
    hasRaw(style) {
        return style.raw !== 'none' && this.input.diff !== null;
    }
    rawBlock(format) {
        const diff = this.input.diff;
        if (format === 'none' || diff === null)
            return '';
        return this.remember(`raw:${format}`, () => {
            const json = format === 'pretty' ? jsonForCodeBlock(diff, 2) : jsonOneItemPerLine(diff);
            return [
                `<details><summary>Raw diff as returned by Directus${this.input.noise.length > 0 ? ', without what is left out above' : ''} (JSON, ${json.length} characters)</summary>`,
                '',
                fencedCodeBlock(json, 'json'),
                '',
                '</details>'
            ].join('\n');
        });
    }
    remember(key, render) {
        const known = this.memo.get(key);
        if (known !== undefined)
            return known;
        const rendered = render();
        this.memo.set(key, rendered);
        return rendered;
    }
}
/**
 * Any rendering of the raw diff is at least as long as the compact JSON of
 * its items. They are measured one at a time, only as far as a question
 * needs: a 400-collection diff (7 MB) is not stringified whole just to learn
 * that it exceeds a 64 KiB comment.
 */
class RawLengthMeasure {
    measured = 0;
    list = 0;
    item = 0;
    done = false;
    exceeds(diff, budget) {
        const lists = [diff.collections, diff.fields, diff.systemFields ?? [], diff.relations];
        while (this.measured <= budget && !this.done) {
            const items = lists[this.list];
            if (items === undefined) {
                this.done = true;
            }
            else if (this.item >= items.length) {
                this.list++;
                this.item = 0;
            }
            else {
                this.measured += (JSON.stringify(items[this.item]) ?? '').length;
                this.item++;
            }
        }
        return this.measured > budget;
    }
}
function markdown_joinBlocks(blocks) {
    return blocks.filter((block) => block !== '').join('\n\n');
}
// ---------------------------------------------------------------------------
// Blocks
function noChangesBlock(input) {
    if (input.schemaNotPromoted)
        return 'The schema is not promoted: `promote` leaves it out, so it is neither planned nor applied.';
    if (input.config)
        return "✅ The target's schema already matches the base.";
    return '✅ The target already matches the base: there is nothing to apply.';
}
/** The configuration part (issue #11): its own sections, or a line saying it matches. */
function configBlock(input) {
    const config = input.config;
    if (!config)
        return '';
    if (config.batches.length === 0) {
        return `✅ The target's configuration (${config.parts.join(', ')}) already matches the base.`;
    }
    return renderConfigSections(config);
}
const STAKE_KINDS = ['rows', 'values', 'nulls', 'duplicates', 'longer'];
/** Our words and schema names, as Markdown: names as inert code. */
function wordsMarkdown(words, max = markdown_NOTE_MAX) {
    return words.map((part) => (typeof part === 'string' ? escape_escapeInline(part, max) : codeInline(part.code, markdown_NAME_MAX))).join('');
}
/**
 * A list of items in an alert, as many as maxItems and maxLength allow; the
 * rest are counted on a last line.
 */
function markdown_alertList(head, items, maxItems, maxLength, more) {
    const lines = [...head];
    const moreLine = (hidden) => `\n> - … and ${more(hidden)}`;
    let length = lines.join('\n').length;
    let listed = 0;
    for (const item of items) {
        if (listed >= maxItems)
            break;
        const reserve = listed + 1 < items.length ? moreLine(items.length).length : 0;
        if (length + 1 + item.length + reserve > maxLength)
            break;
        lines.push(item);
        length += 1 + item.length;
        listed++;
    }
    const hidden = items.length - listed;
    return lines.join('\n') + (hidden > 0 ? moreLine(hidden) : '');
}
/** The changes that cannot succeed: the apply is refused while there is one. */
function failuresBlock(input, maxItems, maxLength = Number.POSITIVE_INFINITY) {
    const failing = failingChangesOf(input);
    // Drift is reported, never applied: what an apply would refuse or drop is not its story.
    if (failing.length === 0 || input.purpose === 'drift')
        return '';
    const head = [
        '> [!CAUTION]',
        `> **This plan cannot be applied.** Directus cannot apply ${countOf(failing.length, 'change')} of it as the diff describes ${failing.length === 1 ? 'it' : 'them'}, so apply refuses the plan and applies nothing.`,
        '>'
    ];
    const items = failing.map((change) => `> - ❌ ${changeIdentity(change)}: ${wordsMarkdown(change.failure ?? [])}.`);
    return markdown_alertList(head, items, maxItems, maxLength, (hidden) => countOf(hidden, 'more change that cannot succeed', 'more changes that cannot succeed'));
}
/**
 * GitHub CAUTION alert listing every destructive change, why, and what it
 * drops on the target; changes Directus reads otherwise than their entries
 * say carry the plain-words warning.
 */
function cautionBlock(input, maxItems, maxLength = Number.POSITIVE_INFINITY) {
    const { destructive } = alertsOf(input);
    if (destructive.length === 0 || input.purpose === 'drift')
        return '';
    const head = [
        '> [!CAUTION]',
        `> **This plan drops data.** ${countOf(destructive.length, 'destructive change')}. Apply refuses ${destructive.length === 1 ? 'it' : 'them'} unless ${applyNeeds(input)}.`,
        '>'
    ];
    const items = destructive.map((change) => {
        const reason = escape_escapeInline(change.destructiveReason ?? 'drops data', markdown_NOTE_MAX);
        const warning = change.warning ? ` ${warningMarkdown(change)}` : '';
        return `> - ${ACTION_ICONS[change.action]} ${changeIdentity(change)}: ${reason}${stakesMarkdown(change, input)}${warning}`;
    });
    return markdown_alertList(head, items, maxItems, maxLength, (hidden) => countOf(hidden, 'more destructive change'));
}
/** **Directus will DELETE field `customers.email` and its data.** Its diff starts by removing … */
function warningMarkdown(change) {
    if (!change.warning)
        return '';
    return `**${wordsMarkdown(change.warning.headline)}** ${wordsMarkdown(change.warning.detail)}`;
}
function stakesMarkdown(change, input, kinds) {
    const stakes = countedStakes(change, input.target.vendor, kinds).map((words) => wordsMarkdown(words));
    return stakes.length === 0 ? '' : ` · ${stakes.join(' · ')}`;
}
/** The words of each counted stake of a change, of these kinds (all by default). */
function countedStakes(change, vendor, kinds) {
    return (change.stakes ?? [])
        .filter((stake) => kinds === undefined || kinds.includes(stake.question.kind))
        .map((stake) => stakeWords(change, stake, vendor))
        .filter((words) => words !== undefined);
}
/** Changes that may fail, change what a delete does, or cut values: marked ⚡, never blocking. */
function riskyBlock(input, maxItems, maxLength = Number.POSITIVE_INFINITY) {
    const { risky } = alertsOf(input);
    if (risky.length === 0 || input.purpose === 'drift')
        return '';
    const head = [
        '> [!WARNING]',
        `> **⚡ ${countOf(risky.length, 'risky change')}:** ${risky.length === 1 ? 'it' : 'they'} can fail on the target's rows, change what a delete does, or cut values. ${risky.length === 1 ? 'It does' : 'They do'} not block the apply; what drops data is in the CAUTION above.`,
        '>'
    ];
    const items = risky.map((change) => `> - ⚡ ${changeIdentity(change)}: ${risksMarkdown(change, input)}`);
    return markdown_alertList(head, items, maxItems, maxLength, (hidden) => countOf(hidden, 'more risky change'));
}
function risksMarkdown(change, input) {
    const risks = change.risks.map((risk) => `**${escape_escapeInline(RISK_CLASS_WORDS[risk.class])}:** ${wordsMarkdown(risk.what)}${risk.onTarget ? ` (${escape_escapeInline(risk.onTarget, markdown_NOTE_MAX)})` : ''}`);
    // A destructive change's counts are in the CAUTION alert already.
    const kinds = change.destructive ? [] : change.risks.flatMap((risk) => (risk.stake ? [risk.stake.kind] : []));
    const counts = countedStakes(change, input.target.vendor, kinds).map((words) => wordsMarkdown(words));
    return [...risks, ...counts].join(' · ');
}
/** The plan's warnings, and changes Directus reads otherwise than their entries say that drop nothing. */
function warningsBlock(input) {
    // Warnings are plain text that may span lines; one list item each.
    const plain = input.warnings.map((warning) => `> - ${escape_escapeInline(warning.replace(/\s+/g, ' ').trim(), markdown_NOTE_MAX)}`);
    const misread = alertsOf(input).warnings.map((change) => `> - ${warningMarkdown(change)}`);
    const items = [...misread, ...plain];
    if (items.length === 0)
        return '';
    return ['> [!WARNING]', ...items].join('\n');
}
/** What Directus will skip, and the version noise left out of the diff. */
function notesBlock(input, maxItems) {
    const items = [];
    for (const item of input.skipped.slice(0, maxItems))
        items.push(`> - ⏭️ ${skippedIdentity(item)}: ${wordsMarkdown(item.why)}.`);
    if (input.skipped.length > maxItems)
        items.push(`> - … and ${countOf(input.skipped.length - maxItems, 'more skipped item')}`);
    const noise = input.noise.map((group) => `> - ${wordsMarkdown(group.words)}.`);
    const counting = input.counting?.stopped
        ? [`> - Counting on the target stopped ${escape_escapeInline(input.counting.stopped)}; the other counts are unknown.`]
        : [];
    if (items.length + noise.length + counting.length === 0)
        return '';
    return [
        '> [!NOTE]',
        ...(items.length > 0
            ? [
                `> **Directus will skip ${countOf(input.skipped.length, 'item')} of the diff:** ${input.skipped.length === 1 ? 'it is not a planned change' : 'they are not planned changes'}.`,
                '>',
                ...items
            ]
            : []),
        ...(noise.length > 0
            ? [...(items.length > 0 ? ['>'] : []), '> **Left out of the diff** (version noise and residue no apply can remove):', '>', ...noise]
            : []),
        ...(counting.length > 0 ? [...(items.length + noise.length > 0 ? ['>'] : []), ...counting] : [])
    ].join('\n');
}
function skippedIdentity(item) {
    return `${changes_ENTITY_WORDS[item.entity]} ${codeInline(changeSubject(item, 'standalone') ?? item.collection, markdown_NAME_MAX)}`;
}
function contextBlock(input) {
    const fact = (value) => (value === undefined ? '—' : escape_escapeInline(value, FACT_MAX));
    const url = (value) => (value === undefined ? '—' : codeInline(value, FACT_MAX));
    if (input.purpose === 'drift')
        return driftContextBlock(input, fact, url);
    const rows = [
        '| | Base | Target |',
        '| --- | --- | --- |',
        `| Directus version | ${fact(input.base.version)} | ${fact(input.target.version)} |`,
        `| Database | ${fact(input.base.vendor)} | ${fact(input.target.vendor)} |`,
        ...(input.base.url !== undefined || input.target.url !== undefined
            ? [`| URL | ${url(input.base.url)} | ${url(input.target.url)} |`]
            : [])
    ];
    const hash = input.hash === null ? '—' : `${codeInline(input.hash, FACT_MAX)} (the apply is refused if the target's schema no longer has this hash)`;
    const facts = [`- **Target schema hash:** ${hash}`];
    if (input.mode === 'merge') {
        facts.push('- **Diff mode:** `merge`: Directus leaves out whole collections, fields and relations the base lacks; a list that starts by removing a property still deletes (the plan says so)');
    }
    if (input.mode === 'mirror')
        facts.push('- **Diff mode:** `mirror`: the target becomes identical to the base, deletions included');
    if (input.scope !== undefined)
        facts.push(`- **Scope:** ${scopeText(input.scope)}`);
    facts.push(`- **Destructive changes:** apply refuses them unless ${applyNeeds(input)}`);
    if (input.diffFile !== undefined)
        facts.push(`- **Diff file:** ${codeInline(input.diffFile, FACT_MAX)}`);
    const run = input.runUrl !== undefined ? linkUrl(input.runUrl) : undefined;
    if (run !== undefined)
        facts.push(`- **Workflow run:** [open the run](${run})`);
    return [...rows, '', ...facts].join('\n');
}
/** Drift compares the target with its baseline: no apply, no policy to state. */
function driftContextBlock(input, fact, url) {
    const rows = [
        '| | Baseline | Target |',
        '| --- | --- | --- |',
        `| Directus version | ${fact(input.base.version)} | ${fact(input.target.version)} |`,
        `| Database | ${fact(input.base.vendor)} | ${fact(input.target.vendor)} |`,
        `| Where | ${url(input.base.url)} | ${url(input.target.url)} |`
    ];
    const facts = [`- **Target schema hash now:** ${input.hash === null ? '—' : codeInline(input.hash, FACT_MAX)}`];
    if (input.scope !== undefined)
        facts.push(`- **Scope:** ${scopeText(input.scope)}`);
    if (input.diffFile !== undefined)
        facts.push(`- **Diff file:** ${codeInline(input.diffFile, FACT_MAX)}`);
    const run = input.runUrl !== undefined ? linkUrl(input.runUrl) : undefined;
    if (run !== undefined)
        facts.push(`- **Workflow run:** [open the run](${run})`);
    return [...rows, '', ...facts].join('\n');
}
/** At most this many scoped collection names are listed; the rest are counted. */
const SCOPE_NAMES_SHOWN = 20;
function scopeText(scope) {
    const shown = scope.collections.slice(0, SCOPE_NAMES_SHOWN).map((name) => codeInline(name, markdown_NAME_MAX));
    const more = scope.collections.length - shown.length;
    const names = shown.join(', ') + (more > 0 ? ` and ${more} more` : '');
    return scope.kind === 'include'
        ? `only ${names} (\`include-collections\`); other collections are neither compared nor changed`
        : `every collection except ${names} (\`exclude-collections\`), which are neither compared nor changed`;
}
// ---------------------------------------------------------------------------
// Collection sections
const markdown_TABLE_HEAD = '\n\n| Change | Item | Details |\n| --- | --- | --- |';
function renderGroup(group, style, rawShown, vendor) {
    const rows = group.changes.map((change) => renderRow(change, style, rawShown, vendor)).join('\n');
    return style.collapsed
        ? `${collapsedOpening(group)}${markdown_TABLE_HEAD}\n${rows}\n\n</details>`
        : `#### ${groupTitle(group)}${markdown_TABLE_HEAD}\n${rows}`;
}
function collapsedOpening(group) {
    return `<details><summary>${groupTitle(group)}</summary>`;
}
/** '➕ <code>articles</code> — new collection · 5 changes · ⚠️ 1 destructive · ⚡ 1 risky' */
function groupTitle(group) {
    const icon = ACTION_ICONS[group.own?.action ?? 'update'];
    const marks = (group.failingCount > 0 ? ` · ❌ ${group.failingCount} cannot succeed` : '') +
        (group.destructiveCount > 0 ? ` · ⚠️ ${group.destructiveCount} destructive` : '') +
        (group.riskyCount > 0 ? ` · ⚡ ${group.riskyCount} risky` : '');
    return `${icon} ${codeInline(group.collection, markdown_NAME_MAX)} — ${group.state} · ${countOf(group.changes.length, 'change')}${marks}`;
}
function renderRow(change, style, rawShown, vendor) {
    const marks = `${change.failure ? ' ❌' : ''}${change.destructive ? ' ⚠️' : ''}${change.risks.length > 0 ? ' ⚡' : ''}`;
    const action = `${ACTION_ICONS[change.action]} ${change.action}${marks}`;
    return `| ${action} | ${itemCell(change)} | ${detailsCell(change, style, rawShown, vendor)} |`;
}
/** Within a collection's section the collection is implied: 'field <code>title</code>'. */
function itemCell(change) {
    const subject = changeSubject(change, 'in-collection');
    return subject === undefined ? changes_ENTITY_WORDS[change.entity] : `${changes_ENTITY_WORDS[change.entity]} ${codeInline(subject, markdown_NAME_MAX)}`;
}
/** Outside a section (the CAUTION alert) the collection must be named: 'field <code>articles.title</code>'. */
function changeIdentity(change) {
    return `${changes_ENTITY_WORDS[change.entity]} ${codeInline(changeSubject(change, 'standalone') ?? '', markdown_NAME_MAX)}`;
}
function detailsCell(change, style, rawShown, vendor) {
    const parts = [];
    const stakeOf = (kinds) => countedStakes(change, vendor, kinds).map((words) => wordsMarkdown(words, style.valueMax));
    if (change.failure)
        parts.push(`**cannot succeed:** ${wordsMarkdown(change.failure, style.valueMax)}`);
    if (change.warning)
        parts.push(warningMarkdown(change));
    if (change.destructive) {
        parts.push([`**destructive:** ${escape_escapeInline(change.destructiveReason ?? 'drops data', markdown_NOTE_MAX)}`, ...stakeOf(STAKE_KINDS)].join(' · '));
    }
    for (const risk of change.risks) {
        const counted = risk.stake && !change.destructive ? stakeOf([risk.stake.kind]) : [];
        const onTarget = risk.onTarget ? ` (${escape_escapeInline(risk.onTarget, markdown_NOTE_MAX)})` : '';
        parts.push([`**⚡ ${escape_escapeInline(RISK_CLASS_WORDS[risk.class])}:** ${wordsMarkdown(risk.what, style.valueMax)}${onTarget}`, ...counted].join(' · '));
    }
    switch (change.action) {
        case 'create':
            parts.push(definitionSummary(change.entity, change.definition, style));
            break;
        case 'delete':
            if (!change.destructive && !change.warning)
                parts.push(harmlessDeletion(change.entity));
            parts.push(definitionSummary(change.entity, change.definition, style));
            if (change.edits.length > 0)
                parts.push(`its entries: ${editsSummary(change, style, rawShown)}`);
            break;
        case 'update':
            parts.push(editsSummary(change, style, rawShown));
            break;
    }
    const details = parts.filter((part) => part !== '').join('<br>');
    return details === '' ? '—' : details;
}
function harmlessDeletion(entity) {
    return entity === 'collection' ? 'a folder without a table: no data is lost' : 'an alias without a column: no data is lost';
}
function editsSummary(change, style, rawShown) {
    const shown = change.edits
        .slice(0, style.editsPerRow)
        .map((edit) => `${codeInline(edit.path, markdown_NAME_MAX)}: ${jsonValue(edit.before, style.valueMax)} → ${jsonValue(edit.after, style.valueMax)}`);
    const hidden = change.edits.length - shown.length;
    if (hidden > 0) {
        const where = rawShown ? 'see the raw diff below' : 'see the diff file';
        shown.push(`… and ${countOf(hidden, 'more edit')} (${where})`);
    }
    return shown.join('<br>');
}
/** The few facts a reviewer checks first; the raw diff has the rest. */
function definitionSummary(entity, definition, style) {
    return definitionFacts(entity, definition)
        .map((fact) => fact.map((part) => markdownPart(part, style)).join(''))
        .join(' · ');
}
function markdownPart(part, style) {
    if ('text' in part)
        return part.text;
    if ('code' in part)
        return codeInline(part.code, markdown_NAME_MAX);
    if ('note' in part)
        return escape_escapeInline(part.note, style.valueMax);
    return jsonValue(part.json, style.valueMax);
}
// ---------------------------------------------------------------------------
// Small helpers
/**
 * Each list item on its own line: far smaller than pretty-printing, still easy
 * to scan, and still JSON that parses to the same diff.
 */
function jsonOneItemPerLine(diff) {
    const entries = Object.entries(diff).filter(([, value]) => value !== undefined);
    const lines = ['{'];
    entries.forEach(([key, value], entryIndex) => {
        const comma = entryIndex < entries.length - 1 ? ',' : '';
        if (Array.isArray(value) && value.length > 0) {
            lines.push(`  ${JSON.stringify(key)}: [`);
            value.forEach((item, itemIndex) => {
                lines.push(`    ${JSON.stringify(item) ?? 'null'}${itemIndex < value.length - 1 ? ',' : ''}`);
            });
            lines.push(`  ]${comma}`);
        }
        else {
            lines.push(`  ${JSON.stringify(key)}: ${JSON.stringify(value)}${comma}`);
        }
    });
    lines.push('}');
    return makeJsonTextInert(lines.join('\n'));
}

;// CONCATENATED MODULE: ./src/report/config-terminal.ts



const SIGNS = { create: '+', update: '~', delete: '-', unlink: 'x', unchanged: ' ' };
const config_terminal_NAME_MAX = 120;
const config_terminal_NOTE_MAX = 200;
function configTerminalLines(plan) {
    const view = configReportView(plan);
    const marks = [
        view.destructive.length > 0 ? `${view.destructive.length} destructive` : '',
        view.risky.length > 0 ? `${view.risky.length} risky` : '',
        plan.lockout !== undefined ? 'lockout' : ''
    ].filter((mark) => mark !== '');
    const lines = [`Configuration (${plan.parts.join(', ')}; ${plan.mode}): ${[countsText(view.counts), ...marks].join(' · ')}`];
    if (plan.lockout !== undefined) {
        lines.push('', `LOCKOUT: apply refuses this plan, it would lock itself out: ${plain(plan.lockout, 2000)}.`);
    }
    if (view.destructive.length > 0) {
        lines.push('', `CAUTION: ${countOf(view.destructive.length, 'destructive change')}; apply refuses ${view.destructive.length === 1 ? 'it' : 'them'} unless destructive changes are allowed.`, ...view.destructive.map((operation) => `  - ${plain(operation.label, config_terminal_NAME_MAX)}: ${operation.destructive ?? ''}`));
    }
    if (view.risky.length > 0) {
        lines.push('', `Risky: ${countOf(view.risky.length, 'change')} ${view.risky.length === 1 ? 'gives' : 'give'} people more access than they had; ${view.risky.length === 1 ? 'it does' : 'they do'} not block the apply.`, ...view.risky.map((operation) => `  ${SIGNS[operation.kind]} ${plain(operation.label, config_terminal_NAME_MAX)}: ${risksText(operation.risks)}`));
    }
    if (plan.limits.length > 0)
        lines.push('', 'Not compared or applied:', ...plan.limits.map((limit) => `  ${textPlain(limitText(limit))}`));
    for (const part of view.parts)
        lines.push('', ...partLines(part));
    return lines;
}
function partLines(part) {
    const marks = [
        part.destructiveCount > 0 ? `${part.destructiveCount} destructive` : '',
        part.riskyCount > 0 ? `${part.riskyCount} risky` : ''
    ].filter((mark) => mark !== '');
    const lines = [`${PART_TITLES[part.part]} (${[countOf(part.count, 'change'), ...marks].join(', ')})`];
    if (part.count === 0)
        return [...lines, '  no changes'];
    for (const policy of part.access?.policies ?? [])
        lines.push(...policyLines(policy));
    for (const role of part.access?.roles ?? [])
        lines.push(...operationLines(role));
    for (const flow of part.flows ?? [])
        lines.push(...flowLines(flow));
    for (const operation of part.others ?? [])
        lines.push(...operationLines(operation));
    return lines;
}
function policyLines(policy) {
    const lines = [
        `  ${SIGNS[policy.kind]} policy ${plain(policy.name, config_terminal_NAME_MAX)} (${policy.kind})${markText(policy.destructive, policy.risks)}`
    ];
    for (const change of policy.changes)
        lines.push(`      ${textPlain(change)}`);
    for (const link of policy.links) {
        lines.push(`      ${SIGNS[link.kind]} link ${link.details.map(textPlain).join(' ')}${markText(undefined, link.risks)}`);
    }
    for (const row of policy.matrix) {
        for (const action of policy.actions) {
            const cell = row.cells[action];
            if (cell === undefined)
                continue;
            const what = cell.lines.map(textPlain).join('; ');
            lines.push(`      ${SIGNS[cell.kind]} ${plain(row.collection, config_terminal_NAME_MAX)} ${action}: ${what}${markText(undefined, cell.risks)}`);
        }
    }
    return lines;
}
function flowLines(flow) {
    const lines = [
        `  ${SIGNS[flow.kind]} flow ${plain(flow.name, config_terminal_NAME_MAX)} (${flow.kind})${markText(flow.destructive, flow.risks)}`,
        `      trigger: ${textPlain(flow.trigger)}`,
        ...flow.changes.map((change) => `      ${textPlain(change)}`)
    ];
    if (flow.unlinks > 0)
        lines.push(`      apply first clears ${countOf(flow.unlinks, 'operation link')}, then sets the chain`);
    for (const step of [...flow.steps, ...flow.deleted]) {
        const links = [step.resolve !== undefined ? `then ${step.resolve}` : '', step.reject !== undefined ? `otherwise ${step.reject}` : '']
            .filter((link) => link !== '')
            .join(', ');
        const kind = step.kind === 'unchanged' ? '' : ` (${step.kind})`;
        lines.push(`      ${step.number}. ${SIGNS[step.kind]} ${plain(step.key, config_terminal_NAME_MAX)}${step.type !== '' ? ` [${plain(step.type, config_terminal_NAME_MAX)}]` : ''}${kind}${links !== '' ? ` → ${links}` : ''}${markText(undefined, step.risks)}`, ...step.changes.map((change) => `           ${textPlain(change)}`));
    }
    return lines;
}
function operationLines(operation) {
    return [
        `  ${SIGNS[operation.kind]} ${plain(operation.label, config_terminal_NAME_MAX)} (${operation.kind})${markText(operation.destructive, operation.risks)}`,
        ...operation.details.map((detail) => `      ${textPlain(detail)}`)
    ];
}
function markText(destructive, risks) {
    return (destructive !== undefined ? ` [destructive: ${destructive}]` : '') + (risks.length > 0 ? ` [risky: ${risksText(risks)}]` : '');
}
function risksText(risks) {
    return risks.map((risk) => plain(risk, config_terminal_NOTE_MAX)).join('; ');
}
function textPlain(text) {
    return text
        .map((part) => {
        if (typeof part === 'string')
            return plain(part, config_terminal_NOTE_MAX);
        if ('code' in part)
            return plain(part.code, config_terminal_NAME_MAX);
        return plainValue(part.value);
    })
        .join('');
}

;// CONCATENATED MODULE: ./src/report/terminal.ts
/**
 * Renders a plan for a terminal: the same story as the PR comment (summary,
 * destructive changes first, one section per collection, both sides' facts),
 * as plain lines. Pure: colour is an option, decided by the caller (a TTY and
 * no NO_COLOR). Schema text passes through `plain`, so an escape sequence
 * hidden in a name can never recolour, move or hide what is printed.
 */









const SGR = {
    bold: ['\u001b[1m', '\u001b[22m'],
    dim: ['\u001b[2m', '\u001b[22m'],
    green: ['\u001b[32m', '\u001b[39m'],
    yellow: ['\u001b[33m', '\u001b[39m'],
    red: ['\u001b[31m', '\u001b[39m'],
    boldRed: ['\u001b[1;31m', '\u001b[22;39m']
};
const terminal_SIGNS = { create: '+', update: '~', delete: '-' };
const ACTION_STYLES = { create: 'green', update: 'yellow', delete: 'red' };
/** Longest raw name, value or fact shown; terminals wrap, but a 10 kB note is not worth reading here. */
const terminal_NAME_MAX = 120;
const terminal_VALUE_MAX = 80;
const terminal_FACT_MAX = 200;
function renderTerminalReport(input, options) {
    const paint = (style, text) => (options.color ? `${SGR[style][0]}${text}${SGR[style][1]}` : text);
    const { destructive, failing, risky, warnings: changeWarnings } = alertsOf(input);
    const vendor = input.target.vendor;
    const blocks = [];
    const marks = [
        destructive.length > 0 ? paint('boldRed', `${destructive.length} destructive`) : '',
        risky.length > 0 ? paint('yellow', `${risky.length} risky`) : '',
        failing.length > 0 ? paint('boldRed', `${failing.length} cannot succeed`) : '',
        input.skipped.length > 0 ? `${input.skipped.length} skipped` : ''
    ].filter((mark) => mark !== '');
    blocks.push([
        paint('bold', `Directus schema plan for ${plain(input.targetName, terminal_NAME_MAX)}`),
        [
            `Changes: ${[...(input.schemaNotPromoted ? [] : [summarizeChanges([...input.changes])]), ...(input.config ? [`configuration ${summarizeOperations(configOperationsOf(input))}`] : [])].join(' · ')}`,
            ...marks
        ].join(' · ')
    ].join('\n'));
    if (failing.length > 0) {
        blocks.push([
            `${paint('boldRed', 'This plan cannot be applied.')} ${countOf(failing.length, 'change')} cannot succeed as the diff describes ${failing.length === 1 ? 'it' : 'them'}; apply refuses the plan.`,
            ...failing.map((change) => `  ${paint('red', `${terminal_SIGNS[change.action]} ${terminal_identity(change)}`)}: ${words(change.failure ?? [])}`)
        ].join('\n'));
    }
    if (destructive.length > 0) {
        blocks.push([
            `${paint('boldRed', 'CAUTION: this plan drops data.')} ${countOf(destructive.length, 'destructive change')}; apply refuses ${destructive.length === 1 ? 'it' : 'them'} without ${allowDestructiveRequirement(input)}.`,
            ...destructive.flatMap((change) => [
                `  ${paint('red', `${terminal_SIGNS[change.action]} ${terminal_identity(change)}`)}: ${plain(change.destructiveReason ?? 'drops data', terminal_FACT_MAX)}${stakesText(change, terminal_STAKE_KINDS, vendor)}`,
                ...(change.warning ? [`    ${warningText(change, paint)}`] : [])
            ])
        ].join('\n'));
    }
    if (risky.length > 0) {
        blocks.push([
            `${paint('yellow', `Risky: ${countOf(risky.length, 'change')}`)} can fail on the target's rows, change what a delete does, or cut values; ${risky.length === 1 ? 'it does' : 'they do'} not block the apply.`,
            ...risky.map((change) => `  ${paint('yellow', `${terminal_SIGNS[change.action]} ${terminal_identity(change)}`)}: ${terminal_risksText(change, vendor)}`)
        ].join('\n'));
    }
    const warningLines = [
        ...changeWarnings.map((change) => `${paint('yellow', 'Warning:')} ${warningText(change, paint)}`),
        ...input.warnings.map((warning) => `${paint('yellow', 'Warning:')} ${plain(warning.replace(/\s+/g, ' ').trim(), terminal_FACT_MAX)}`)
    ];
    if (warningLines.length > 0)
        blocks.push(warningLines.join('\n'));
    const notes = [
        ...input.skipped.map((item) => `Skipped by Directus: ${terminal_skippedIdentity(item)}: ${words(item.why)}`),
        ...input.noise.map((group) => `Left out of the diff: ${words(group.words)}`),
        ...(input.counting?.stopped
            ? [`Counting on the target stopped ${plain(input.counting.stopped, terminal_FACT_MAX)}; the other counts are unknown.`]
            : [])
    ];
    if (notes.length > 0)
        blocks.push(notes.map((note) => paint('dim', note)).join('\n'));
    if (input.schemaNotPromoted) {
        blocks.push(paint('dim', 'The schema is not promoted (--promote leaves it out).'));
    }
    else if (input.changes.length === 0) {
        blocks.push(paint('green', input.config
            ? "No schema changes: the target's schema already matches the base."
            : 'No changes: the target already matches the base; there is nothing to apply.'));
    }
    else {
        for (const group of groupByCollection(input.changes)) {
            blocks.push([paint('bold', terminal_groupTitle(group)), ...group.changes.flatMap((change) => changeLines(change, paint, vendor))].join('\n'));
        }
    }
    if (input.config) {
        const lines = configTerminalLines(input.config);
        blocks.push(lines.length > 0
            ? lines.join('\n')
            : paint('green', `No configuration changes: ${input.config.parts.join(', ')} already match the base.`));
    }
    blocks.push(terminal_contextBlock(input, paint));
    return `${blocks.join('\n\n')}\n`;
}
const terminal_STAKE_KINDS = ['rows', 'values', 'nulls', 'duplicates', 'longer'];
/** Our words as they are, schema names made terminal-safe. */
function words(parts) {
    return parts.map((part) => (typeof part === 'string' ? part : `\`${plain(part.code, terminal_NAME_MAX)}\``)).join('');
}
function warningText(change, paint) {
    return change.warning ? `${paint('bold', words(change.warning.headline))} ${words(change.warning.detail)}` : '';
}
function stakesText(change, kinds, vendor) {
    const stakes = (change.stakes ?? []).filter((stake) => kinds.includes(stake.question.kind));
    return stakes
        .map((stake) => stakeWords(change, stake, vendor))
        .filter((parts) => parts !== undefined)
        .map((parts) => ` · ${words(parts)}`)
        .join('');
}
function terminal_risksText(change, vendor) {
    return change.risks
        .map((risk) => {
        const counted = risk.stake && !change.destructive ? stakesText(change, [risk.stake.kind], vendor) : '';
        return `${RISK_CLASS_WORDS[risk.class]}: ${words(risk.what)}${risk.onTarget ? ` (${risk.onTarget})` : ''}${counted}`;
    })
        .join('; ');
}
function terminal_skippedIdentity(item) {
    return `${changes_ENTITY_WORDS[item.entity]} ${plain(changeSubject(item, 'standalone') ?? item.collection, terminal_NAME_MAX)}`;
}
function changeLines(change, paint, vendor) {
    const sign = paint(ACTION_STYLES[change.action], `${terminal_SIGNS[change.action]} ${itemLabel(change)}`);
    const marks = [
        change.failure ? ` ${paint('boldRed', '[cannot succeed]')}` : '',
        change.destructive
            ? ` ${paint('boldRed', `[destructive: ${plain(change.destructiveReason ?? 'drops data', terminal_FACT_MAX)}${stakesText(change, terminal_STAKE_KINDS, vendor)}]`)}`
            : '',
        change.risks.length > 0 ? ` ${paint('yellow', `[risky: ${terminal_risksText(change, vendor)}]`)}` : ''
    ].join('');
    const edits = change.edits.map((edit) => `      ${editLine(edit)}`);
    if (change.action === 'update')
        return [`  ${sign}${marks}`, ...edits];
    const facts = definitionFacts(change.entity, change.definition)
        .map((fact) => fact.map(plainPart).join(''))
        .join(' · ');
    return [`  ${sign}${facts ? `  ${paint('dim', facts)}` : ''}${marks}`, ...edits];
}
function editLine(edit) {
    return `${plain(edit.path, terminal_NAME_MAX)}: ${plainValue(edit.before)} → ${plainValue(edit.after)}`;
}
function plainPart(part) {
    if ('text' in part)
        return part.text;
    if ('code' in part)
        return plain(part.code, terminal_NAME_MAX);
    if ('note' in part)
        return plain(part.note, terminal_VALUE_MAX);
    return plainValue(part.json);
}
/** A JSON value on one line, terminal-safe and cut to a readable length. */
function plainValue(json) {
    if (json === undefined)
        return '(absent)';
    let text;
    try {
        text = JSON.stringify(json) ?? String(json);
    }
    catch {
        text = String(json);
    }
    return plain(text, terminal_VALUE_MAX);
}
/** Within a collection's section the collection is implied: 'field title'. */
function itemLabel(change) {
    const subject = changeSubject(change, 'in-collection');
    return subject === undefined ? changes_ENTITY_WORDS[change.entity] : `${changes_ENTITY_WORDS[change.entity]} ${plain(subject, terminal_NAME_MAX)}`;
}
/** Outside a section the collection is named: 'field articles.title'. */
function terminal_identity(change) {
    return `${changes_ENTITY_WORDS[change.entity]} ${plain(changeSubject(change, 'standalone') ?? '', terminal_NAME_MAX)}`;
}
function terminal_groupTitle(group) {
    return `${plain(group.collection, terminal_NAME_MAX)} (${group.state}, ${countOf(group.changes.length, 'change')})`;
}
function terminal_contextBlock(input, paint) {
    const fact = (text) => (text === undefined ? '-' : plain(text, terminal_FACT_MAX));
    const rows = [
        ['', 'Base', 'Target'],
        ['Directus', fact(input.base.version), fact(input.target.version)],
        ['Database', fact(input.base.vendor), fact(input.target.vendor)]
    ];
    if (input.base.url !== undefined || input.target.url !== undefined)
        rows.push(['URL', fact(input.base.url), fact(input.target.url)]);
    const labelWidth = Math.max(...rows.map((row) => row[0].length));
    const baseWidth = Math.max(...rows.map((row) => [...row[1]].length));
    const lines = rows.map(([label, base, target], index) => {
        const line = `${label.padEnd(labelWidth)}  ${base.padEnd(baseWidth + base.length - [...base].length)}  ${target}`.trimEnd();
        return index === 0 ? paint('dim', line) : line;
    });
    const hash = input.hash === null ? '-' : `${plain(input.hash, terminal_FACT_MAX)} (apply is refused if the target no longer has this hash)`;
    lines.push('', `Target schema hash: ${hash}`);
    if (input.diffFile !== undefined)
        lines.push(`Diff file: ${plain(input.diffFile, terminal_FACT_MAX)}`);
    return lines.join('\n');
}
/** Schema text made safe for a terminal, and cut to a readable length. */
function plain(text, max) {
    const { shown, omitted } = shorten(text, max);
    return makeVisible(shown) + (omitted > 0 ? `… (${omitted} more)` : '');
}

// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(7975);
;// CONCATENATED MODULE: ./src/inputs/definitions.ts
/**
 * Every input of the action, and what stands for it on the command line,
 * declared once. The command line's parser and help are made from this list,
 * and __tests__/unit/definitions.test.ts fails when action.yml or the README's
 * tables disagree with it: a new input cannot be forgotten on one side.
 */
/** The command line's commands: the action's `command` input. */
const CLI_COMMANDS = ['plan', 'apply', 'snapshot'];
const ALL = CLI_COMMANDS;
const PROMOTION = ['plan', 'apply'];
const INPUTS = [
    { name: 'command', default: 'plan', commandLine: { kind: 'command' } },
    {
        name: 'base-url',
        url: true,
        commandLine: {
            kind: 'flag',
            flag: 'base-url',
            value: 'URL',
            variable: 'DIRECTUS_BASE_URL',
            commands: ALL,
            help: 'Base instance, whose schema is promoted.'
        }
    },
    { name: 'base-token', secret: true, commandLine: { kind: 'environment', variables: 'DIRECTUS_BASE_TOKEN' } },
    { name: 'base-email', commandLine: { kind: 'environment', variables: 'DIRECTUS_BASE_EMAIL' } },
    { name: 'base-password', secret: true, commandLine: { kind: 'environment', variables: 'DIRECTUS_BASE_PASSWORD' } },
    {
        name: 'base-snapshot',
        commandLine: {
            kind: 'flag',
            flag: 'base-snapshot',
            value: 'FILE',
            commands: PROMOTION,
            help: 'A snapshot file (.json, .yaml, .yml) as the base, instead of --base-url.'
        }
    },
    {
        name: 'snapshot-file',
        commandLine: {
            kind: 'flag',
            flag: 'out',
            value: 'FILE',
            commands: ['snapshot'],
            help: 'snapshot: the file to write (.json, .yaml, .yml), keys sorted.'
        }
    },
    {
        name: 'include-collections',
        commandLine: {
            kind: 'flag',
            flag: 'include-collections',
            value: 'LIST',
            commands: ALL,
            help: 'Only these collections (comma separated). Directus 12.2+.'
        }
    },
    {
        name: 'exclude-collections',
        commandLine: {
            kind: 'flag',
            flag: 'exclude-collections',
            value: 'LIST',
            commands: ALL,
            help: 'Every collection but these (comma separated). Directus 12.2+.'
        }
    },
    {
        name: 'diff-mode',
        default: 'mirror',
        commandLine: {
            kind: 'flag',
            flag: 'diff-mode',
            value: 'MODE',
            commands: PROMOTION,
            help: 'mirror (default) or merge (never deletes whole items). Directus 12.2+.'
        }
    },
    {
        name: 'promote',
        default: 'schema',
        commandLine: {
            kind: 'flag',
            flag: 'promote',
            value: 'LIST',
            commands: PROMOTION,
            help: 'What to promote (comma separated): schema (default), access, flows, dashboards, presets, translations, settings, folders, all.'
        }
    },
    {
        name: 'config-overrides',
        commandLine: {
            kind: 'flag',
            flag: 'config-overrides',
            value: 'FILE',
            commands: PROMOTION,
            help: "A checked-in file of per-target values for the promoted configuration (see the README's overrides format)."
        }
    },
    {
        name: 'target-url',
        url: true,
        commandLine: {
            kind: 'flag',
            flag: 'target-url',
            value: 'URL',
            variable: 'DIRECTUS_TARGET_URL',
            commands: PROMOTION,
            help: 'Target instance, which receives the schema.'
        }
    },
    { name: 'target-token', secret: true, commandLine: { kind: 'environment', variables: 'DIRECTUS_TARGET_TOKEN' } },
    { name: 'target-email', commandLine: { kind: 'environment', variables: 'DIRECTUS_TARGET_EMAIL' } },
    { name: 'target-password', secret: true, commandLine: { kind: 'environment', variables: 'DIRECTUS_TARGET_PASSWORD' } },
    {
        name: 'target-name',
        commandLine: {
            kind: 'flag',
            flag: 'target-name',
            value: 'NAME',
            commands: PROMOTION,
            help: 'Label of the target; default: the host of --target-url.'
        }
    },
    {
        name: 'github-token',
        default: '${{ github.token }}',
        secret: true,
        commandLine: { kind: 'none', why: 'the command line never talks to GitHub' }
    },
    {
        name: 'force',
        default: 'false',
        commandLine: { kind: 'flag', flag: 'force', commands: PROMOTION, help: 'Diff across Directus versions or database vendors.' }
    },
    { name: 'comment', default: 'true', commandLine: { kind: 'none', why: 'the report goes to the terminal' } },
    {
        name: 'timeout-seconds',
        default: '60',
        commandLine: { kind: 'flag', flag: 'timeout-seconds', value: 'N', commands: ALL, help: 'Timeout of each request (default 60).' }
    },
    {
        name: 'allow-destructive',
        default: 'false',
        commandLine: {
            kind: 'flag',
            flag: 'allow-destructive',
            commands: ['apply'],
            help: 'apply: let the diff drop collections, fields or relations.'
        }
    },
    {
        name: 'require-plan',
        default: 'true',
        commandLine: { kind: 'none', why: 'apply always shows the plan it applies; `--yes` only skips the question' }
    },
    {
        name: 'require-approval',
        default: 'true',
        commandLine: { kind: 'none', why: 'there is no pull request to approve: the person at the terminal confirms' }
    },
    {
        name: 'allow-partial-review',
        default: 'false',
        commandLine: { kind: 'none', why: 'the command line shows the whole plan in the terminal before it asks' }
    },
    { name: 'allow-forks', default: 'false', commandLine: { kind: 'none', why: 'the command line plans no pull requests' } },
    { name: 'signing-key', secret: true, commandLine: { kind: 'none', why: 'the command line writes no plan record' } },
    {
        name: 'expected-hash',
        commandLine: {
            kind: 'flag',
            flag: 'expected-hash',
            value: 'HASH',
            commands: ['apply'],
            help: 'apply: refuse unless the target still has this hash,'
        }
    },
    {
        name: 'expected-digest',
        commandLine: {
            kind: 'flag',
            flag: 'expected-digest',
            value: 'SHA',
            commands: ['apply'],
            help: 'and the diff still has this digest (from plan --json).'
        }
    },
    { name: 'issue', default: 'true', commandLine: { kind: 'none', why: 'the command line keeps no drift baseline or tracking issue' } },
    { name: 'labels', commandLine: { kind: 'none', why: '`drift` runs in the action only' } },
    { name: 'fail-on-drift', default: 'false', commandLine: { kind: 'none', why: '`drift` runs in the action only' } },
    { name: 'accept-baseline', default: 'false', commandLine: { kind: 'none', why: '`drift` runs in the action only' } }
];
/** The inputs whose values must be masked before anything is logged. */
const SECRET_INPUTS = INPUTS.filter((input) => input.secret).map((input) => input.name);
const URL_INPUTS = INPUTS.filter((input) => input.url).map((input) => input.name);
/** The inputs given by a flag, with their flag. */
const FLAG_INPUTS = INPUTS.filter((input) => input.commandLine.kind === 'flag');
/** How the README's inputs table writes an input's command-line form. */
function commandLineCell(input) {
    const form = input.commandLine;
    switch (form.kind) {
        case 'command':
            return '`plan`, `apply` or `snapshot`, the first argument (`drift` runs in the action only)';
        case 'flag':
            return `\`--${form.flag}${form.value ? ` ${form.value}` : ''}\`${form.variable ? ` or \`${form.variable}\`` : ''}`;
        case 'environment':
            return `\`${form.variables}\``;
        case 'none':
            return `none: ${form.why}`;
    }
}

;// CONCATENATED MODULE: ./src/cli/args.ts
/**
 * The command line, parsed into one typed object. Pure: takes argv and the
 * environment, so it is tested without a process. The flags that stand for
 * action inputs come from inputs/definitions.ts, so the command line takes
 * every input the action takes. Secrets are never flags: a flag lands in
 * shell history and in every process listing.
 */



const CLI_NAME = 'directus-schema-action';
/** A mistake in how the command was called: reported in one line, with a pointer to --help. */
class UsageError extends ExpectedError {
    name = 'UsageError';
}
/** Flags of the command line alone, with the commands they belong to. */
const OWN_FLAGS = {
    markdown: { type: 'boolean', default: false, commands: ['plan'], help: "plan: print the pull-request comment's Markdown." },
    json: { type: 'boolean', default: false, commands: ['plan'], help: 'plan: print the plan as JSON (schemas/plan.v1.schema.json).' },
    yes: { type: 'boolean', short: 'y', default: false, commands: ['apply'], help: 'apply: do not ask for confirmation.' },
    verbose: {
        type: 'boolean',
        short: 'v',
        default: false,
        commands: CLI_COMMANDS,
        help: 'Print step and request timings, and retries, on stderr.'
    },
    help: { type: 'boolean', short: 'h', default: false, commands: CLI_COMMANDS, help: 'Print this help.' },
    version: { type: 'boolean', default: false, commands: CLI_COMMANDS, help: 'Print the version.' }
};
const OPTIONS = {
    ...Object.fromEntries(FLAG_INPUTS.map(({ commandLine }) => [commandLine.flag, { type: commandLine.value ? 'string' : 'boolean' }])),
    ...Object.fromEntries(Object.entries(OWN_FLAGS).map(([flag, { commands: _commands, help: _help, ...option }]) => [flag, option]))
};
/** Flags that would carry a secret, and where the secret goes instead. */
const SECRET_FLAGS = {
    ...Object.fromEntries(INPUTS.flatMap((input) => input.secret
        ? [[input.name, input.commandLine.kind === 'environment' ? input.commandLine.variables : `nothing: ${describeNone(input)}`]]
        : [])),
    token: 'DIRECTUS_BASE_TOKEN and DIRECTUS_TARGET_TOKEN',
    password: 'DIRECTUS_BASE_PASSWORD and DIRECTUS_TARGET_PASSWORD'
};
function describeNone(input) {
    return input.commandLine.kind === 'none' ? input.commandLine.why : 'not on the command line';
}
function parseCommandLine(argv, env) {
    rejectSecretFlags(argv);
    let parsed;
    try {
        parsed = (0,external_node_util_.parseArgs)({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
    }
    catch (error) {
        throw new UsageError(describeParseError(error));
    }
    const values = parsed.values;
    if (values['help'])
        return { kind: 'help' };
    if (values['version'])
        return { kind: 'version' };
    const [command, ...extra] = parsed.positionals;
    const commands = CLI_COMMANDS.join(', ');
    if (command === undefined)
        throw new UsageError(`Give a command: ${CLI_COMMANDS.map((name) => `${CLI_NAME} ${name}`).join(', or ')}`);
    if (!CLI_COMMANDS.includes(command)) {
        throw new UsageError(`Unknown command ${JSON.stringify(command)}; the commands are ${commands}`);
    }
    if (extra.length > 0)
        throw new UsageError(`Unexpected argument ${JSON.stringify(extra[0])}; options start with --`);
    const cliCommand = command;
    checkFlagsBelong(cliCommand, values);
    const inputs = {};
    for (const { name, commandLine } of FLAG_INPUTS) {
        const given = values[commandLine.flag];
        if (typeof given === 'string')
            inputs[name] = given;
        else if (given === true)
            inputs[name] = 'true';
    }
    // A variable stands in for an absent flag, but never overrules another way of giving the same thing.
    if (inputs['base-url'] === undefined && inputs['base-snapshot'] === undefined && env['DIRECTUS_BASE_URL']) {
        inputs['base-url'] = env['DIRECTUS_BASE_URL'];
    }
    if (inputs['target-url'] === undefined && cliCommand !== 'snapshot' && env['DIRECTUS_TARGET_URL']) {
        inputs['target-url'] = env['DIRECTUS_TARGET_URL'];
    }
    if (!inputs['base-url'] && !inputs['base-snapshot']) {
        throw new UsageError(cliCommand === 'snapshot'
            ? 'Give the base instance: --base-url URL (or DIRECTUS_BASE_URL)'
            : 'Give the base: --base-url URL (or DIRECTUS_BASE_URL), or a snapshot file with --base-snapshot FILE');
    }
    if (cliCommand !== 'snapshot' && !inputs['target-url']) {
        throw new UsageError('Give the target instance: --target-url URL (or DIRECTUS_TARGET_URL)');
    }
    if (cliCommand === 'snapshot' && !inputs['snapshot-file']) {
        throw new UsageError('Give the file to write: --out FILE (.json, .yaml or .yml)');
    }
    if (values['markdown'] && values['json'])
        throw new UsageError('Choose one output: --markdown or --json');
    if ((inputs['expected-hash'] === undefined) !== (inputs['expected-digest'] === undefined)) {
        throw new UsageError('--expected-hash and --expected-digest go together: the hash pins the target, the digest pins the diff (plan --json prints both)');
    }
    return {
        kind: 'run',
        args: {
            command: cliCommand,
            inputs,
            format: values['json'] ? 'json' : values['markdown'] ? 'markdown' : 'terminal',
            yes: values['yes'] === true,
            verbose: values['verbose'] === true
        }
    };
}
/** `--yes` with plan, `--diff-mode` with snapshot: refused, naming the commands the flag belongs to. */
function checkFlagsBelong(command, values) {
    const owners = [
        ...FLAG_INPUTS.map(({ commandLine }) => [commandLine.flag, commandLine.commands]),
        ...Object.entries(OWN_FLAGS).map(([flag, { commands }]) => [flag, commands])
    ];
    for (const [flag, commands] of owners) {
        const given = values[flag] !== undefined && values[flag] !== false;
        if (given && !commands.includes(command)) {
            throw new UsageError(`--${flag} is an option of ${commands.join(' and ')}, not ${command}`);
        }
    }
}
/** `--base-token x` or `--base-token=x`: refused before parsing, and the value is never repeated. */
function rejectSecretFlags(argv) {
    for (const arg of argv) {
        if (arg === '--')
            return;
        const name = /^--([a-z-]+)(?:=|$)/.exec(arg)?.[1];
        const instead = name === undefined ? undefined : SECRET_FLAGS[name];
        if (instead !== undefined) {
            throw new UsageError(`--${name} is not accepted: a secret on the command line lands in shell history and process listings. ` +
                `Use ${instead}${instead.startsWith('nothing') ? '' : ', or leave it unset to be asked'}.`);
        }
    }
}
function describeParseError(error) {
    const code = error.code;
    const message = error instanceof Error ? error.message : String(error);
    const option = /'(-[^']*)'/.exec(message)?.[1];
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option)
        return `Unknown option ${option}`;
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option)
        return `Option ${option.split(/[ ,]/)[0]} needs a value`;
    return message.split('\n')[0] ?? message;
}
/** One line of the help: the flag with its value, then what it does (and its variable). */
function helpLine(flag, short, value, help) {
    const name = `${short ? `-${short}, ` : ''}--${flag}${value ? ` ${value}` : ''}`;
    return `  ${name.padEnd(29)}${help}`;
}
function flagHelp(form) {
    const help = form.variable ? `${form.help.replace(/\.$/, '')} (or ${form.variable}).` : form.help;
    return helpLine(form.flag, undefined, form.value, help);
}
const USAGE = `Usage: ${CLI_NAME} <plan|apply> --base-url URL --target-url URL [options]
       ${CLI_NAME} <plan|apply> --base-snapshot FILE --target-url URL [options]
       ${CLI_NAME} snapshot --base-url URL --out FILE [options]

Preview (plan) or apply the schema change from a base Directus instance (or a
snapshot file) to a target, with the same checks as the GitHub Action; or
write the base's schema to a file (snapshot).

Commands:
  plan                         Show what applying would change. Exit code 0: no
                               changes, 2: changes, 1: error (like diff --exit-code).
  apply                        Show the plan, ask, then apply exactly that diff while
                               the target still has the planned hash. Exit code 0:
                               applied or nothing to apply, 1: refused, declined or error.
  snapshot                     Write the base's schema snapshot to --out, keys sorted,
                               JSON or YAML by the file's extension. Exit code 0.

Options:
${FLAG_INPUTS.map(({ commandLine }) => flagHelp(commandLine)).join('\n')}
${Object.entries(OWN_FLAGS)
    .map(([flag, own]) => helpLine(flag, 'short' in own ? own.short : undefined, undefined, own.help))
    .join('\n')}

Credentials come from the environment, never from flags:
  DIRECTUS_BASE_TOKEN, or DIRECTUS_BASE_EMAIL with DIRECTUS_BASE_PASSWORD
  DIRECTUS_TARGET_TOKEN, or DIRECTUS_TARGET_EMAIL with DIRECTUS_TARGET_PASSWORD
A missing token or password is asked for: hidden input on a terminal; without
a terminal, one line each is read from stdin (base first, then target).

Colours are used on a terminal unless NO_COLOR is set.
`;

;// CONCATENATED MODULE: ./src/cli/credentials.ts

function credentialVariables(side) {
    const prefix = `DIRECTUS_${side.toUpperCase()}_`;
    return { token: `${prefix}TOKEN`, email: `${prefix}EMAIL`, password: `${prefix}PASSWORD` };
}
/**
 * A token, or an email with a password, for one side. What the environment
 * lacks is asked for: the token, or the password of the given email.
 */
async function resolveAuth(side, host, env, prompter) {
    const names = credentialVariables(side);
    const token = env[names.token] ?? '';
    const email = env[names.email] ?? '';
    const password = env[names.password] ?? '';
    if (token && (email || password)) {
        throw new UsageError(`Set either ${names.token} or ${names.email} with ${names.password}, not both`);
    }
    if (token)
        return { kind: 'token', token };
    if (password && !email)
        throw new UsageError(`${names.password} needs ${names.email}`);
    if (email) {
        const given = password || (await ask(prompter, `Password of ${email} on the ${side} instance (${host}): `, names.password, side));
        return { kind: 'password', email, password: given };
    }
    return { kind: 'token', token: await ask(prompter, `Admin token for the ${side} instance (${host}): `, names.token, side) };
}
async function ask(prompter, question, variable, side) {
    const answer = (await prompter.secret(question))?.trim();
    if (!answer) {
        const where = prompter.interactive ? 'none was typed' : 'stdin has no line for it';
        throw new UsageError(`No credentials for the ${side} instance: set ${variable}, or type it when asked (${where})`);
    }
    return answer;
}

// EXTERNAL MODULE: external "node:readline"
var external_node_readline_ = __webpack_require__(481);
;// CONCATENATED MODULE: ./src/cli/prompt.ts
/**
 * Asking the person at the keyboard. On a terminal, secrets are read with
 * echo off (raw mode, nothing printed back). Without a terminal (a pipe, a
 * script, CI), each secret is the next line of stdin, as `docker login
 * --password-stdin` does, and there is nobody to confirm anything.
 */

/** Raised when the person presses Ctrl-C at a prompt. */
class PromptCancelled extends Error {
    name = 'PromptCancelled';
    constructor() {
        super('Cancelled');
    }
}
function createPrompter(input, output) {
    const interactive = input.isTTY === true && typeof input.setRawMode === 'function';
    let reader;
    // Created on first use only: a run with every credential in the
    // environment never touches stdin, so it cannot block on it.
    const nextLine = async () => {
        if (!reader) {
            const lines = (0,external_node_readline_.createInterface)({ input, terminal: false, crlfDelay: Infinity });
            reader = { lines, next: lines[Symbol.asyncIterator]() };
        }
        const next = await reader.next.next();
        return next.done ? undefined : next.value.replace(/\r$/, '');
    };
    return {
        interactive,
        async secret(question) {
            if (!interactive)
                return nextLine();
            return readHidden(question, input, output);
        },
        async confirm(question) {
            if (!interactive)
                return false;
            output.write(question);
            const answer = await nextLine();
            return answer !== undefined && /^\s*y(es)?\s*$/i.test(answer);
        },
        close() {
            reader?.lines.close();
            input.pause();
        }
    };
}
/** Escape sequences a terminal sends for arrow keys and the like: not part of a secret. */
// eslint-disable-next-line no-control-regex -- matching the terminal's ESC is the point
const ESCAPE_SEQUENCE = /\u001b(\[[0-9;?]*[ -/]*[@-~]|O.|.)?/g;
function readHidden(question, input, output) {
    return new Promise((resolve, reject) => {
        let value = '';
        input.setRawMode?.(true);
        input.setEncoding('utf8');
        // The question comes after raw mode is on, so nothing typed from here is echoed.
        output.write(question);
        input.resume();
        const finish = () => {
            input.off('data', onData);
            input.setRawMode?.(false);
            input.pause();
            output.write('\n');
        };
        const onData = (chunk) => {
            for (const char of String(chunk).replace(ESCAPE_SEQUENCE, '')) {
                if (char === '\r' || char === '\n') {
                    finish();
                    resolve(value);
                    return;
                }
                if (char === '\u0003') {
                    finish();
                    reject(new PromptCancelled());
                    return;
                }
                if (char === '\u0004') {
                    if (value !== '')
                        continue;
                    finish();
                    resolve(undefined);
                    return;
                }
                if (char === '\u007f' || char === '\b') {
                    value = Array.from(value).slice(0, -1).join('');
                    continue;
                }
                if (char < ' ')
                    continue;
                value += char;
            }
        };
        input.on('data', onData);
    });
}

;// CONCATENATED MODULE: ./src/inputs/read.ts
/**
 * Reads the action's inputs into one typed settings object. Pure: it takes a
 * reader, so it is tested without a runner. Every error names the input.
 */





/** A signing key is a random secret, not a password: long enough that nobody guesses it from the public record. */
const MIN_SIGNING_KEY_LENGTH = 32;
const DEFAULT_TIMEOUT_SECONDS = 60;
const MAX_TIMEOUT_SECONDS = 3600;
function readCommand(read) {
    return parseCommand(read('command').trim() || 'plan');
}
/** The settings of plan and apply; `command: snapshot` is read by readSnapshotSettings. */
function readSettings(read, options) {
    const input = (name) => read(name).trim();
    const command = readCommand(read);
    if (command === 'snapshot') {
        throw new errors_InputError('command', "Input 'command: snapshot' takes no target; its settings are read by readSnapshotSettings");
    }
    if (command === 'drift')
        throw new errors_InputError('command', "Input 'command: drift' is read by readDriftSettings");
    if (input('snapshot-file')) {
        throw new errors_InputError('snapshot-file', "Input 'snapshot-file' is where 'command: snapshot' writes the base snapshot; to plan or apply from a committed snapshot, use 'base-snapshot'");
    }
    const base = readBaseSource(input, options);
    const target = readInstance('target', input);
    const expectedHash = input('expected-hash');
    const expectedDigest = input('expected-digest');
    const scope = readScope(input);
    const promote = parsePromote(input('promote'));
    if (promote.config.length > 0 && 'kind' in base) {
        throw new errors_InputError('promote', `Input 'promote' names configuration (${promote.config.join(', ')}), which is read from a live base instance; ` +
            "'base-snapshot' holds the schema only. Give 'base-url' instead, or promote 'schema' alone");
    }
    const overrides = input('config-overrides');
    if (overrides && promote.config.length === 0) {
        throw new errors_InputError('config-overrides', "Input 'config-overrides' sets configuration values, but 'promote' names no configuration part; add the parts to 'promote' (e.g. 'schema, flows') or remove 'config-overrides'");
    }
    return {
        command,
        base,
        target,
        ...(scope ? { scope } : {}),
        mode: parseDiffMode(input('diff-mode')),
        promote,
        ...(overrides ? { configOverrides: fileLocation(overrides, options) } : {}),
        targetName: parseTargetName(input('target-name') || target.url.host),
        githubToken: input('github-token'),
        force: parseBoolean('force', input('force'), false),
        comment: parseBoolean('comment', input('comment'), true),
        timeoutMs: parseTimeoutSeconds(input('timeout-seconds')) * 1000,
        allowDestructive: parseBoolean('allow-destructive', input('allow-destructive'), false),
        requirePlan: parseBoolean('require-plan', input('require-plan'), true),
        requireApproval: parseBoolean('require-approval', input('require-approval'), true),
        allowForks: parseBoolean('allow-forks', input('allow-forks'), false),
        allowPartialReview: parseBoolean('allow-partial-review', input('allow-partial-review'), false),
        ...signingKeyOf(input('signing-key')),
        ...(expectedHash ? { expectedHash: parseHash(expectedHash) } : {}),
        ...(expectedDigest ? { expectedDigest: parseDigest(expectedDigest) } : {}),
        issue: parseBoolean('issue', input('issue'), true)
    };
}
/**
 * The settings of `command: drift`. It compares the target with the state it
 * should be in, never with a live base: a base-url is refused, a committed
 * snapshot (base-snapshot) is the GitOps reference.
 */
function readDriftSettings(read, options) {
    const input = (name) => read(name).trim();
    const command = readCommand(read);
    if (command !== 'drift')
        throw new InputError('command', `readDriftSettings reads 'command: drift', not ${quote(command)}`);
    if (input('base-url')) {
        throw new InputError('base-url', "Input 'base-url' cannot be used with 'command: drift': drift compares the target with the state it should be in " +
            "(the baseline of the action's last apply), never with a live base, which is legitimately ahead of it. " +
            "Remove 'base-url', or give 'base-snapshot' to compare with a committed snapshot");
    }
    for (const name of ['snapshot-file', 'expected-hash', 'expected-digest']) {
        if (input(name))
            throw new InputError(name, `Input '${name}' cannot be used with 'command: drift'`);
    }
    const file = input('base-snapshot');
    const target = readInstance('target', input);
    const scope = readScope(input);
    const issue = parseBoolean('issue', input('issue'), true);
    const acceptBaseline = parseBoolean('accept-baseline', input('accept-baseline'), false);
    if (acceptBaseline && file) {
        throw new InputError('accept-baseline', "Input 'accept-baseline' records the target's state as its baseline, but with 'base-snapshot' the committed snapshot is the baseline: " +
            "commit the target's snapshot instead ('command: snapshot' with the target as 'base-url')");
    }
    if (acceptBaseline && !issue) {
        throw new InputError('accept-baseline', "Input 'accept-baseline: true' writes the baseline to the tracking issue, which 'issue: false' turns off");
    }
    return {
        command,
        target,
        ...(file ? { baseFile: fileLocation(parseSnapshotPath('base-snapshot', file), options) } : {}),
        ...(scope ? { scope } : {}),
        targetName: parseTargetName(input('target-name') || target.url.host),
        githubToken: input('github-token'),
        force: parseBoolean('force', input('force'), false),
        timeoutMs: parseTimeoutSeconds(input('timeout-seconds')) * 1000,
        ...signingKeyOf(input('signing-key')),
        issue,
        labels: parseLabels(input('labels')),
        failOnDrift: parseBoolean('fail-on-drift', input('fail-on-drift'), false),
        acceptBaseline
    };
}
/** Issue labels, separated by commas or new lines; GitHub allows at most 50 characters each. */
function parseLabels(value) {
    const labels = value
        .split(/[,\n]/)
        .map((label) => label.trim())
        .filter((label) => label !== '');
    for (const label of labels) {
        // eslint-disable-next-line no-control-regex
        if (label.length > 50 || /[\u0000-\u001f\u007f]/.test(label)) {
            throw new InputError('labels', `Input 'labels' must list label names of at most 50 characters, separated by commas or new lines; got ${quote(label)}`);
        }
    }
    return [...new Set(labels)];
}
function readSnapshotSettings(read, options) {
    const input = (name) => read(name).trim();
    const command = readCommand(read);
    if (command !== 'snapshot')
        throw new errors_InputError('command', `readSnapshotSettings reads 'command: snapshot', not ${quote(command)}`);
    if (input('base-snapshot')) {
        throw new errors_InputError('base-snapshot', "Input 'base-snapshot' cannot be used with 'command: snapshot', which writes the base snapshot from 'base-url'");
    }
    const snapshotFile = input('snapshot-file');
    if (!snapshotFile) {
        throw new errors_InputError('snapshot-file', "Input 'snapshot-file' is required with 'command: snapshot': the path to write the base snapshot to (.json, .yaml or .yml)");
    }
    const scope = readScope(input);
    return {
        command,
        base: readInstance('base', input),
        snapshotFile: fileLocation(parseSnapshotPath('snapshot-file', snapshotFile), options),
        ...(scope ? { scope } : {}),
        timeoutMs: parseTimeoutSeconds(input('timeout-seconds')) * 1000
    };
}
/** The base is either a live instance (base-url) or a committed snapshot file (base-snapshot). */
function readBaseSource(input, options) {
    const file = input('base-snapshot');
    if (!file && !input('base-url')) {
        throw new errors_InputError('base-url', "Input 'base-url' is required, or 'base-snapshot' naming a committed snapshot file");
    }
    if (!file)
        return readInstance('base', input);
    if (input('base-url')) {
        throw new errors_InputError('base-snapshot', "Give either 'base-url' or 'base-snapshot' as the base, not both");
    }
    // Base credentials are simply unused here: a workflow may share one `with:` block.
    return { kind: 'file', ...fileLocation(parseSnapshotPath('base-snapshot', file), options) };
}
function fileLocation(path, options) {
    return { path, file: (0,external_node_path_.resolve)(options.directory, path) };
}
function parseSnapshotPath(name, value) {
    if (!/\.(json|ya?ml)$/i.test(value)) {
        throw new errors_InputError(name, `Input '${name}' must name a .json, .yaml or .yml file; got ${quote(value)}`);
    }
    return value;
}
function readScope(input) {
    const include = parseCollectionList('include-collections', input('include-collections'));
    const exclude = parseCollectionList('exclude-collections', input('exclude-collections'));
    if (include.length > 0 && exclude.length > 0) {
        throw new errors_InputError('exclude-collections', "Give either 'include-collections' or 'exclude-collections', not both (Directus takes one of them)");
    }
    if (include.length > 0)
        return { kind: 'include', collections: include };
    if (exclude.length > 0)
        return { kind: 'exclude', collections: exclude };
    return undefined;
}
/** Collection names separated by commas or new lines (Directus splits its query parameter on commas). */
function parseCollectionList(name, value) {
    const names = value
        .split(/[,\n]/)
        .map((entry) => entry.trim())
        .filter((entry) => entry !== '');
    for (const collection of names) {
        // eslint-disable-next-line no-control-regex
        if (collection.length > 64 || /[\s\u0000-\u001f\u007f]/.test(collection)) {
            throw new errors_InputError(name, `Input '${name}' must list collection names separated by commas or new lines; got ${quote(collection)}`);
        }
    }
    return [...new Set(names)];
}
const PROMOTE_NAMES = ['schema', ...CONFIG_PARTS, 'all'];
/** `schema`, configuration parts and `all`, separated by commas or new lines; the default is the schema alone. */
function parsePromote(value) {
    const names = value
        .split(/[,\n]/)
        .map((entry) => entry.trim().toLowerCase())
        .filter((entry) => entry !== '');
    if (names.length === 0)
        return { schema: true, config: [] };
    for (const name of names) {
        if (!PROMOTE_NAMES.includes(name)) {
            throw new errors_InputError('promote', `Input 'promote' must list some of ${PROMOTE_NAMES.join(', ')}; got ${quote(name)}`);
        }
    }
    if (names.includes('all'))
        return { schema: true, config: [...CONFIG_PARTS] };
    // In the model's order, whatever order they were given in: the plan and its record do not depend on it.
    return { schema: names.includes('schema'), config: CONFIG_PARTS.filter((part) => names.includes(part)) };
}
function parseDiffMode(value) {
    if (value === '')
        return 'mirror';
    const mode = value.toLowerCase();
    if (DIFF_MODES.includes(mode))
        return mode;
    throw new errors_InputError('diff-mode', `Input 'diff-mode' must be one of ${DIFF_MODES.join(', ')}; got ${quote(value)}`);
}
function parseCommand(value) {
    const command = value.toLowerCase();
    if (COMMANDS.includes(command))
        return command;
    throw new errors_InputError('command', `Input 'command' must be one of ${COMMANDS.join(', ')}; got ${quote(value)}`);
}
function readInstance(side, input) {
    const urlValue = input(`${side}-url`);
    if (!urlValue)
        throw new errors_InputError(`${side}-url`, `Input '${side}-url' is required`);
    const url = parseUrl(`${side}-url`, urlValue);
    const token = input(`${side}-token`);
    const email = input(`${side}-email`);
    const password = input(`${side}-password`);
    if (token && (email || password)) {
        throw new errors_InputError(`${side}-token`, `Give either '${side}-token' or '${side}-email' with '${side}-password', not both`);
    }
    if (token)
        return { side, url, auth: { kind: 'token', token } };
    if (email && password)
        return { side, url, auth: { kind: 'password', email, password } };
    if (email) {
        throw new errors_InputError(`${side}-password`, `Input '${side}-password' is required with '${side}-email'`, true);
    }
    if (password)
        throw new errors_InputError(`${side}-email`, `Input '${side}-email' is required with '${side}-password'`);
    throw new errors_InputError(`${side}-token`, `No credentials for the ${side} instance: set '${side}-token', or '${side}-email' and '${side}-password'`, true);
}
function parseUrl(name, value) {
    let url;
    try {
        url = new URL(value);
    }
    catch {
        throw new errors_InputError(name, `Input '${name}' is not a valid URL: ${quote(withoutSecrets(value))}`);
    }
    if (url.username || url.password) {
        // The value itself is not repeated: it holds a credential.
        throw new errors_InputError(name, `Input '${name}' must not contain credentials; pass them as '${name.replace(/-url$/, '')}-token' or -email/-password secrets`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new errors_InputError(name, `Input '${name}' must be an http:// or https:// URL; got ${quote(withoutSecrets(value))}`);
    }
    if (url.search || url.hash) {
        // Not echoed: a query is where an access token would be.
        throw new errors_InputError(name, `Input '${name}' must not have a query or fragment; give the instance's address only, like ${quote(url.origin + url.pathname)}`);
    }
    if (!url.pathname.endsWith('/'))
        url.pathname += '/';
    return url;
}
function parseBoolean(name, value, fallback) {
    if (value === '')
        return fallback;
    if (/^(true|True|TRUE)$/.test(value))
        return true;
    if (/^(false|False|FALSE)$/.test(value))
        return false;
    throw new errors_InputError(name, `Input '${name}' must be true or false; got ${quote(value)}`);
}
function parseTimeoutSeconds(value) {
    if (value === '')
        return DEFAULT_TIMEOUT_SECONDS;
    const seconds = Number(value);
    if (!/^\d+(\.\d+)?$/.test(value) || !(seconds > 0) || seconds > MAX_TIMEOUT_SECONDS) {
        throw new errors_InputError('timeout-seconds', `Input 'timeout-seconds' must be a number of seconds from 1 to ${MAX_TIMEOUT_SECONDS}; got ${quote(value)}`);
    }
    return Math.max(1, seconds);
}
function parseTargetName(value) {
    // eslint-disable-next-line no-control-regex
    if (value.length > 100 || /[\u0000-\u001f\u007f]/.test(value)) {
        throw new errors_InputError('target-name', `Input 'target-name' must be at most 100 printable characters; got ${quote(value)}`);
    }
    return value;
}
function signingKeyOf(value) {
    if (value === '')
        return {};
    if (value.length < MIN_SIGNING_KEY_LENGTH) {
        // The value itself is never repeated: it is a secret.
        throw new errors_InputError('signing-key', `Input 'signing-key' must be at least ${MIN_SIGNING_KEY_LENGTH} characters of random text (e.g. the output of 'openssl rand -base64 32'); the one given has ${value.length}`);
    }
    return { signingKey: value };
}
/**
 * A warning for each admin credential that would travel unencrypted: an
 * http:// URL whose host is not this machine.
 */
function plainHttpWarnings(instances) {
    return instances
        .filter((instance) => instance.url.protocol === 'http:' && !isLoopback(instance.url.hostname))
        .map((instance) => `${instance.side}-url is ${instance.url.origin}: the ${instance.side}'s admin credential is sent over plain http:// to a host that is not this machine, ` +
        'readable by anyone on the way. Use https://.');
}
function isLoopback(hostname) {
    const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
    return host === 'localhost' || host.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(host) || host === '::1';
}
function parseHash(value) {
    if (!/^[A-Za-z0-9]{8,128}$/.test(value)) {
        throw new errors_InputError('expected-hash', `Input 'expected-hash' must be a Directus schema hash; got ${quote(value)}`);
    }
    return value;
}
function parseDigest(value) {
    if (!/^sha256:[0-9a-f]{64}$/.test(value)) {
        throw new errors_InputError('expected-digest', `Input 'expected-digest' must be a plan digest like sha256:<64 hex digits>; got ${quote(value)}`);
    }
    return value;
}
/** A URL as it may be shown: no user info, query or fragment, where credentials would sit. */
function withoutSecrets(value) {
    return value.replace(/\/\/[^/?#]*@/, '//…@').replace(/[?#].*$/s, '?…');
}
function quote(value) {
    const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
    return JSON.stringify(shown);
}

;// CONCATENATED MODULE: ./src/cli/settings.ts





/** Plan and apply: the action's settings, as a run without comments and with a plan always shown. */
function cliSettings(args, auth) {
    return reworded(() => readSettings(reader(args, auth), { directory: process.cwd() }));
}
/** `snapshot`: the settings of the action's `command: snapshot`. */
function cliSnapshotSettings(args, auth) {
    return reworded(() => readSnapshotSettings(reader(args, auth), { directory: process.cwd() }));
}
function reader(args, auth) {
    const inputs = {
        ...args.inputs,
        command: args.command,
        comment: 'false',
        'require-plan': 'true',
        ...(auth.base ? credentialInputs('base', auth.base) : {}),
        ...(auth.target ? credentialInputs('target', auth.target) : {})
    };
    return (name) => inputs[name] ?? '';
}
function reworded(read) {
    try {
        return read();
    }
    catch (error) {
        if (error instanceof errors_InputError)
            throw new UsageError(cliWording(error.message));
        throw error;
    }
}
/** The URLs alone, checked before anyone is asked for a credential for them. */
function checkUrls(args) {
    reworded(() => {
        for (const name of ['base-url', 'target-url']) {
            const value = args.inputs[name];
            if (value !== undefined)
                parseUrl(name, value);
        }
    });
}
function credentialInputs(side, auth) {
    return auth.kind === 'token' ? { [`${side}-token`]: auth.token } : { [`${side}-email`]: auth.email, [`${side}-password`]: auth.password };
}
const FLAG_OF_INPUT = new Map(FLAG_INPUTS.map(({ name, commandLine }) => [name, `--${commandLine.flag}`]));
/** "Input 'base-url' is not a valid URL" → "--base-url is not a valid URL"; credential inputs → their variables. */
function cliWording(message) {
    const spell = (name) => {
        const flag = FLAG_OF_INPUT.get(name);
        if (flag)
            return flag;
        const credential = /^(base|target)-(token|email|password)$/.exec(name);
        if (credential)
            return credentialVariables(credential[1])[credential[2]];
        return undefined;
    };
    return message
        .replace(/Input '([a-z-]+)'/g, (whole, name) => spell(name) ?? whole)
        .replace(/'([a-z-]+)'/g, (whole, name) => spell(name) ?? whole);
}

;// CONCATENATED MODULE: ./src/cli/version.ts
/** The package version, kept equal to package.json's by a unit test (a JSON import would not bundle cleanly). */
const VERSION = '0.1.0';

;// CONCATENATED MODULE: ./src/cli/main.ts
/**
 * The local preview command: the action's plan, apply and snapshot, run from
 * a terminal against the same Directus instances, with the same checks.
 * Writes the report (and the apply result) to stdout; prompts, warnings,
 * errors and --verbose detail to stderr.
 */























/** Like `diff --exit-code`: 0 nothing differs (or all went well), 2 there are changes, 1 an error or refusal. */
const EXIT = { ok: 0, error: 1, changes: 2 };
async function main(io) {
    let args;
    try {
        const parsed = parseCommandLine(io.argv, io.env);
        if (parsed.kind === 'help') {
            io.stdout.write(USAGE);
            return EXIT.ok;
        }
        if (parsed.kind === 'version') {
            io.stdout.write(`${VERSION}\n`);
            return EXIT.ok;
        }
        args = parsed.args;
    }
    catch (error) {
        if (!(error instanceof UsageError))
            throw error;
        io.stderr.write(`error: ${error.message}\nRun '${CLI_NAME} --help' for usage.\n`);
        return EXIT.error;
    }
    const prompter = createPrompter(io.stdin, io.stderr);
    try {
        // Checked before any prompt or request: nobody could answer the question.
        if (args.command === 'apply' && !args.yes && !prompter.interactive) {
            throw new UsageError('apply asks for confirmation, but stdin is not a terminal; pass --yes to apply without asking');
        }
        checkUrls(args);
        // Asked for only where they are used: no base credential for a snapshot file, no target one for `snapshot`.
        const baseUrl = args.inputs['base-snapshot'] === undefined ? args.inputs['base-url'] : undefined;
        const targetUrl = args.command === 'snapshot' ? undefined : args.inputs['target-url'];
        const auth = {
            ...(baseUrl !== undefined ? { base: await resolveAuth('base', hostOf(baseUrl), io.env, prompter) } : {}),
            ...(targetUrl !== undefined ? { target: await resolveAuth('target', hostOf(targetUrl), io.env, prompter) } : {})
        };
        if (args.command === 'snapshot')
            return await snapshot(args, auth, io);
        const settings = cliSettings(args, auth);
        for (const warning of plainHttpWarnings([settings.target, ...('url' in settings.base ? [settings.base] : [])])) {
            io.stderr.write(`warning: ${warning}\n`);
        }
        const run = new CliRun(args, settings, io, prompter);
        return args.command === 'apply' ? await run.apply() : await run.plan();
    }
    catch (error) {
        io.stderr.write(`${describeError(error, args.verbose)}\n`);
        return EXIT.error;
    }
    finally {
        prompter.close();
    }
}
/** `snapshot --out FILE`: the base's schema written with sorted keys; one line on stdout says what it holds. */
async function snapshot(args, auth, io) {
    const settings = cliSnapshotSettings(args, auth);
    for (const warning of plainHttpWarnings([settings.base]))
        io.stderr.write(`warning: ${warning}\n`);
    const debug = (line) => {
        if (args.verbose)
            io.stderr.write(`debug: ${line}\n`);
    };
    const written = await writeBaseSnapshot(settings, { debug, maskSecret: () => undefined, warning: (line) => io.stderr.write(`warning: ${line}\n`) }, timedStep(debug));
    io.stdout.write(`${settings.snapshotFile.path}: ${written.summary}${written.changed ? '' : ' (unchanged)'}\n`);
    return EXIT.ok;
}
/** With --verbose, each step's duration on stderr. */
function timedStep(debug) {
    return async (name, work) => {
        const started = Date.now();
        try {
            return await work();
        }
        finally {
            debug(`${name} took ${Date.now() - started} ms`);
        }
    };
}
class CliRun {
    args;
    settings;
    io;
    prompter;
    step;
    request;
    configRequest;
    constructor(args, settings, io, prompter) {
        this.args = args;
        this.settings = settings;
        this.io = io;
        this.prompter = prompter;
        this.step = timedStep((line) => this.debug(line));
        this.request = { ...baseRequestOf(settings), ...applyPolicyOf(settings, CLI_ADVICE) };
        // Secrets are sealed under a key from the target credential, as the action's record key is without a signing key.
        this.configRequest =
            settings.promote.config.length > 0
                ? {
                    parts: settings.promote.config,
                    mode: settings.mode,
                    ...(settings.configOverrides ? { overrides: settings.configOverrides } : {}),
                    env: io.env,
                    secretHash: secretHasher(recordKey(settings.target.auth, settings.target.url.href)),
                    advice: CLI_ADVICE
                }
                : undefined;
    }
    async plan() {
        const { plan, config } = await this.withSession((session) => this.computePlan(session));
        this.io.stdout.write(this.render(plan, config));
        return hasChanges(plan, config) ? EXIT.changes : EXIT.ok;
    }
    async apply() {
        return this.withSession(async (session) => {
            const { plan: current, config } = await this.computePlan(session);
            if (!hasChanges(current, config)) {
                this.io.stdout.write(this.render(current, config));
                return EXIT.ok;
            }
            // Pinned by a plan made earlier, or this very plan once it has been shown and confirmed. A plan of
            // configuration alone reviews "no schema change" (an empty hash): apply checks the schema still matches.
            const reviewed = pinnedPlan(this.settings.expectedHash, this.settings.expectedDigest) ??
                (current.kind === 'changes' ? { hash: current.hash, digest: current.digest, diff: current.diff } : { hash: '', digest: '' });
            // Refusals come before the question, not after a "yes".
            if (current.kind === 'changes')
                checkReviewedPlan(reviewed, current, this.request);
            if (config) {
                checkLockout(config);
                checkConfigDestructive(config, this.settings.allowDestructive, CLI_ADVICE);
            }
            this.io.stdout.write(this.render(current, config));
            if (!this.args.yes) {
                const what = [
                    ...(current.kind === 'changes' ? [current.summary] : []),
                    ...(config && operationsOf(config).length > 0 ? [`configuration ${summarizeOperations(operationsOf(config))}`] : [])
                ];
                const question = `\nApply ${what.join(' and ')} to ${this.settings.targetName}? Only yes applies. [y/N] `;
                if (!(await this.prompter.confirm(question))) {
                    this.io.stderr.write('Nothing was applied.\n');
                    return EXIT.error;
                }
            }
            const hooks = {
                step: this.step,
                info: (line) => this.io.stderr.write(`${line}\n`),
                warning: (line) => this.io.stderr.write(`warning: ${line}\n`),
                debug: (line) => this.debug(line)
            };
            // The configuration shown is what was confirmed: apply refuses if the target or the base moved since.
            const configApplication = config && this.configRequest
                ? await prepareConfigApply(session, configRecordOf(config), { ...this.configRequest, ...this.request }, hooks)
                : undefined;
            const outcome = this.settings.promote.schema ? await applyReviewed(session, reviewed, this.request, hooks) : undefined;
            const configApplied = configApplication?.kind === 'apply' && this.configRequest
                ? await applyConfig(session.target, configApplication, this.configRequest, hooks, {
                    ...(outcome?.applied ? { schemaApplied: summarizeChanges(outcome.changes) } : {})
                })
                : undefined;
            const lines = [
                ...(outcome && !outcome.applied ? [outcome.text] : []),
                ...(outcome?.applied
                    ? [`Applied ${summarizeChanges(outcome.changes)} to ${this.settings.targetName}.${outcome.residue ? `\n${outcome.residue}` : ''}`]
                    : []),
                ...(configApplication?.kind === 'nothing' ? [configApplication.text] : []),
                ...(configApplied ? [`Applied configuration ${listOperations(configApplied.operations)} to ${this.settings.targetName}.`] : [])
            ];
            this.io.stdout.write(`\n${lines.join('\n')}\n`);
            return EXIT.ok;
        });
    }
    async computePlan(session) {
        const plan = this.settings.promote.schema
            ? await planPromotion(session, this.request, this.step, { count: { budgetMs: this.settings.timeoutMs } })
            : schemaNotPromoted(this.settings.mode);
        // The terminal report shows warnings too; stderr keeps them visible under --json and --markdown.
        for (const warning of plan.warnings)
            this.io.stderr.write(`warning: ${warning}\n`);
        const config = this.configRequest ? await planConfigPromotion(session, this.configRequest, this.step) : undefined;
        return { plan, ...(config ? { config } : {}) };
    }
    render(plan, config) {
        const report = planReport(plan, {
            targetName: this.settings.targetName,
            baseLocation: isSnapshotFile(this.settings.base) ? this.settings.base.path : this.settings.base.url.origin,
            targetLocation: this.settings.target.url.origin,
            ...(this.settings.scope ? { scope: this.settings.scope } : {}),
            allowDestructiveSetting: 'flag',
            ...(config ? { config } : {}),
            ...(this.settings.promote.schema ? {} : { schemaNotPromoted: true })
        });
        switch (this.args.format) {
            case 'json':
                return `${JSON.stringify(planJson(plan, this.settings, config), null, 2)}\n`;
            case 'markdown':
                return `${renderPlanComment(report, { status: planStatus(report) }).text}\n`;
            case 'terminal':
                return renderTerminalReport(report, { color: useColor(this.io) });
        }
    }
    async withSession(work) {
        const session = await this.step('connect', () => openSession(connectionsOf(this.settings), { debug: (line) => this.debug(line), maskSecret: () => undefined }));
        try {
            return await work(session);
        }
        finally {
            await session.close();
        }
    }
    debug(line) {
        if (this.args.verbose)
            this.io.stderr.write(`debug: ${line}\n`);
    }
}
/**
 * Where `plan --json` says which JSON Schema it follows: schemas/plan.v1.schema.json
 * in this repository. The version changes only with a change that could break a
 * reader; fields are only ever added within one version.
 */
const PLAN_JSON_SCHEMA = 'https://github.com/acme/directus-schema-action/blob/v1/schemas/plan.v1.schema.json';
/** The machine-readable plan: what the action's outputs say, plus the changes and the diff itself. */
function planJson(plan, settings, config) {
    return {
        $schema: PLAN_JSON_SCHEMA,
        targetName: settings.targetName,
        hasChanges: hasChanges(plan, config),
        hash: plan.kind === 'changes' ? plan.hash : null,
        digest: plan.kind === 'changes' ? plan.digest : null,
        summary: plan.summary,
        destructive: plan.destructive,
        risky: plan.risky,
        /** Changes that cannot succeed: apply refuses the plan while there is one. */
        cannotApply: plan.failing,
        base: { url: isSnapshotFile(settings.base) ? settings.base.path : settings.base.url.origin, ...plan.base },
        target: { url: settings.target.url.origin, ...plan.target },
        warnings: plan.warnings,
        changes: plan.changes.map(jsonChange),
        skipped: plan.skipped.map((item) => ({ ...item, why: plainWords(item.why) })),
        noise: plan.noise.map((group) => ({ rule: group.rule, entity: group.entity, items: group.items, text: plainWords(group.words) })),
        ...(plan.counting ? { counting: plan.counting } : {}),
        diff: plan.kind === 'changes' ? plan.diff : null,
        ...(config ? { config: configJson(config) } : {})
    };
}
/**
 * The configuration part for machines: its digest and what each operation does, by label and changed paths.
 * Never the values: they may hold secrets.
 */
function configJson(config) {
    return {
        parts: config.parts,
        mode: config.mode,
        digest: config.digest,
        summary: summarizeOperations(operationsOf(config)),
        destructive: config.destructive,
        risky: config.risks.length > 0,
        ...(config.lockout ? { lockout: config.lockout } : {}),
        risks: config.risks,
        limits: config.limits,
        operations: operationsOf(config).map((operation) => ({
            kind: operation.kind,
            collection: operation.collection,
            label: operation.label,
            ...(operation.kind === 'create' || operation.kind === 'update' ? { changed: operation.changes.map((change) => change.path) } : {})
        }))
    };
}
function hasChanges(plan, config) {
    return plan.kind === 'changes' || (config !== undefined && operationsOf(config).length > 0);
}
/** A change for machines: its words as plain text (names in backticks), its risks by class. */
function jsonChange(change) {
    const { warning, failure, risks, ...rest } = change;
    return {
        ...rest,
        ...(warning ? { warning: `${plainWords(warning.headline)} ${plainWords(warning.detail)}` } : {}),
        ...(failure ? { failure: plainWords(failure) } : {}),
        risky: risks.length > 0,
        risks: risks.map((risk) => ({
            class: risk.class,
            text: plainWords(risk.what),
            ...(risk.onTarget ? { onTarget: risk.onTarget } : {})
        }))
    };
}
/** Colour only for a person: stdout is a terminal and NO_COLOR (https://no-color.org) is unset or empty. */
function useColor(io) {
    return io.stdout.isTTY === true && !io.env['NO_COLOR'];
}
function describeError(error, verbose) {
    if (error instanceof ApplyFailure)
        return `error: apply refused (${error.reason}): ${error.message}`;
    if (error instanceof UsageError)
        return `error: ${error.message}\nRun '${CLI_NAME} --help' for usage.`;
    if (error instanceof PromptCancelled)
        return 'Cancelled; nothing was applied.';
    if (error instanceof ExpectedError)
        return `error: ${error.message}`;
    const message = error instanceof Error ? error.message : String(error);
    const stack = verbose && error instanceof Error && error.stack ? `\n${error.stack}` : '';
    return `error: unexpected: ${message.split('\n')[0]}${stack}`;
}
function hostOf(url) {
    try {
        return new URL(url).host;
    }
    catch {
        return url;
    }
}


/***/ })

};
