export const id = 141;
export const ids = [141];
export const modules = {

/***/ 7141:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  createGitHubClient: () => (/* binding */ createGitHubClient)
});

// EXTERNAL MODULE: ../../main/node_modules/@actions/github/lib/github.js + 22 modules
var github = __webpack_require__(8587);
// EXTERNAL MODULE: ./src/http/undici.ts
var undici = __webpack_require__(725);
// EXTERNAL MODULE: ./src/http/fetch.ts
var fetch = __webpack_require__(9193);
// EXTERNAL MODULE: ./src/github/error.ts
var github_error = __webpack_require__(5236);
;// CONCATENATED MODULE: ./src/github/retry.ts

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE']);
/** GitHub asks for at least a minute when a secondary limit comes without retry-after. */
const SECONDARY_DEFAULT_WAIT_MS = 60_000;
function retryGitHubRequests(octokit, policy) {
    const maxAttempts = policy.maxAttempts ?? 4;
    octokit.hook.wrap('request', async (request, options) => {
        const started = Date.now();
        for (let attempt = 1;; attempt++) {
            try {
                return await request(options);
            }
            catch (error) {
                const line = (0,github_error/* requestLine */.uA)(error, { method: options.method, url: String(options.url) });
                const decision = decide(error, repeatableAs(String(options.method).toUpperCase(), String(options.url)), attempt, policy.backoffMs);
                if (!decision.retry)
                    throw (0,github_error/* toGitHubError */.Lg)(error, policy.host, line);
                const rateLimited = decision.rateLimited;
                if (attempt >= maxAttempts) {
                    throw (0,github_error/* toGitHubError */.Lg)(error, policy.host, line, `; gave up after ${attempt} attempts`, rateLimited);
                }
                if (Date.now() - started + decision.waitMs > policy.budgetMs) {
                    throw (0,github_error/* toGitHubError */.Lg)(error, policy.host, line, `; ${decision.why} asks to wait ${Math.ceil(decision.waitMs / 1000)} s, past the ${Math.round(policy.budgetMs / 1000)} s retry budget`, rateLimited);
                }
                policy.log(`GitHub: ${line} failed (${decision.why}); retrying in ${Math.round(decision.waitMs)} ms`);
                await new Promise((resolve) => setTimeout(resolve, decision.waitMs));
            }
        }
    });
}
/** The action's GraphQL requests are queries, which change nothing: as safe to repeat as a GET. */
function repeatableAs(method, url) {
    return method === 'POST' && /\/graphql$/.test(url.split('?')[0] ?? '') ? 'GET' : method;
}
function decide(error, method, attempt, backoffMs, now = Date.now()) {
    const status = (0,github_error/* answeredStatus */.W)(error);
    const headers = error.response?.headers ?? {};
    const message = String(error.message ?? '');
    const backoff = backoffMs * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5);
    if (status === 403 || status === 429) {
        const retryAfter = Number(headers['retry-after']);
        if (headers['retry-after'] !== undefined && Number.isFinite(retryAfter) && retryAfter >= 0) {
            return { retry: true, waitMs: retryAfter * 1000, why: 'the secondary rate limit', rateLimited: true };
        }
        if (String(headers['x-ratelimit-remaining']) === '0') {
            const reset = Number(headers['x-ratelimit-reset']);
            const waitMs = Number.isFinite(reset) ? Math.max(0, reset * 1000 - now) + 250 : SECONDARY_DEFAULT_WAIT_MS;
            return { retry: true, waitMs, why: `the primary rate limit (resets at ${new Date(now + waitMs).toISOString()})`, rateLimited: true };
        }
        if (/secondary rate limit/i.test(message)) {
            return { retry: true, waitMs: SECONDARY_DEFAULT_WAIT_MS, why: 'the secondary rate limit', rateLimited: true };
        }
        if (status === 429)
            return { retry: true, waitMs: backoff, why: 'HTTP 429', rateLimited: true };
        return { retry: false };
    }
    if (!IDEMPOTENT.has(method))
        return { retry: false };
    if (status === undefined)
        return { retry: true, waitMs: backoff, why: 'no answer', rateLimited: false };
    if (status >= 500)
        return { retry: true, waitMs: backoff, why: `HTTP ${status}`, rateLimited: false };
    return { retry: false };
}

;// CONCATENATED MODULE: ./src/github/client.ts




function createGitHubClient(options) {
    const baseUrl = (options.baseUrl || 'https://api.github.com').replace(/\/+$/, '');
    const dispatcher = new undici/* EnvHttpProxyAgent */.J({ keepAliveTimeout: 1_000 });
    const octokit = (0,github/* getOctokit */.Q)(options.token, {
        baseUrl,
        userAgent: 'directus-schema-action',
        request: { fetch: timedFetch(dispatcher, options.timeoutMs) },
        log: { debug: () => undefined, info: () => undefined, warn: options.log ?? (() => undefined), error: options.log ?? (() => undefined) }
    });
    retryGitHubRequests(octokit, {
        host: new URL(baseUrl).host,
        budgetMs: options.budgetMs ?? options.timeoutMs * 3,
        backoffMs: options.backoffMs ?? 500,
        log: options.log ?? (() => undefined)
    });
    return octokit;
}
/** The GitHub answer is read whole within the timeout (see fetchWhole). */
function timedFetch(dispatcher, timeoutMs) {
    return (async (input, init = {}) => {
        const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
        return (await (0,fetch/* fetchWhole */.OR)(url, init, { dispatcher, timeoutMs })).response;
    });
}


/***/ })

};
