// The Node.js equivalent of widget-server for the load benchmark (bench/serverload/): the same REST routes,
// errors, idempotency and Socket.IO rooms (CONTRACT.md §1, §2), in memory, built the way the console's users
// build their backends today: express 5 + socket.io 4 (versions pinned in bench/package.json).
//
// It follows server/widgetserver.cpp, sendrequest.cpp, sockethub.cpp and simulatedupstream.cpp: a bearer
// token (or a tokens file, one "token tenantId" per line, scoping each token to its tenant), X-Tenant-ID,
// 64 KiB body cap, the same 4xx codes, messageId as idempotency key, status_update "sent" to the room right
// after the 200, then "delivered" and "read" 800 and 2000 ms after the forward; a per-token send rate limit
// (token bucket, 429 RATE_LIMITED with Retry-After) and one JSON access-log line per request on stderr, as
// widget-server's defaults have. Not mirrored: the test hooks (injected upstream failures, dropping sockets),
// SQLite persistence, the RabbitMQ upstream, /metrics and the per-address connection limit.
//
// node server.js [--port P] [--host A] [--token-file F | --tokens-file F] [--tenant T] [--conversation C]...
//                [--add-conversation T:C[:NAME]]... [--inbound-interval MS] [--ping-interval MS] [--ping-timeout MS]
//                [--max-payload BYTES] [--send-rate PER_S] [--send-burst N] [--log-format json|text]
// Tokens come from --tokens-file, --token-file or WIDGET_SERVER_TOKEN, never from argv. Prints
// "listening on http://127.0.0.1:PORT" once listening, like widget-server. A bad option exits with status 2.
"use strict";

const crypto = require("node:crypto");
const fs = require("node:fs");
const http = require("node:http");
const { parseArgs } = require("node:util");
const { performance } = require("node:perf_hooks");
const express = require("express");
const { Server } = require("socket.io");

const MaxBodyBytes = 64 * 1024; // a reply is one chat message (widgetserver.cpp)
const MaxTextCharacters = 4096; // UTF-16 units, as String.length counts (sendrequest.h)
const DefaultHistoryLimit = 20;
const MaxHistoryLimit = 100;
const SentMs = 0; // SimulatedUpstream's defaults, each counted from the forward
const DeliveredMs = 800;
const ReadMs = 2000;

function usageError(message) {
    process.stderr.write(`node-widget-server: ${message}\nTry 'node server.js --help'.\n`);
    process.exit(2);
}

function parseCommandLine() {
    let parsed;
    try {
        parsed = parseArgs({
            options: {
                "help": { type: "boolean" },
                "port": { type: "string", default: "8080" },
                "host": { type: "string", default: "127.0.0.1" },
                "token-file": { type: "string" },
                "tokens-file": { type: "string" },
                "tenant": { type: "string", default: "demo" },
                "conversation": { type: "string", multiple: true },
                "add-conversation": { type: "string", multiple: true },
                "inbound-interval": { type: "string", default: "0" },
                "ping-interval": { type: "string", default: "25000" },
                "ping-timeout": { type: "string", default: "20000" },
                "max-payload": { type: "string", default: "1000000" },
                "send-rate": { type: "string", default: "10" },
                "send-burst": { type: "string", default: "20" },
                "log-format": { type: "string", default: "json" },
            },
            strict: true,
            allowPositionals: false,
        });
    } catch (error) {
        usageError(error.message);
    }
    const v = parsed.values;
    if (v.help) {
        process.stdout.write(
            "Usage: node server.js [options]\n" +
            "The Node.js (express + socket.io) equivalent of widget-server, in memory.\n\n" +
            "  --port P              TCP port, 0 for any free one (8080)\n" +
            "  --host A              address to listen on (127.0.0.1)\n" +
            "  --token-file F        file whose first line is the accepted token (else WIDGET_SERVER_TOKEN)\n" +
            "  --tokens-file F       'token tenantId' per line: each token reaches only its tenant\n" +
            "  --tenant T            tenant of the seeded conversations (demo)\n" +
            "  --conversation C      the demo conversation, seeded with a history; repeatable (demo)\n" +
            "  --add-conversation T:C[:NAME]  an empty conversation C of tenant T; repeatable\n" +
            "  --inbound-interval MS a customer message into every conversation every MS, 0 = off (0)\n" +
            "  --ping-interval MS    Engine.IO pingInterval (25000)\n" +
            "  --ping-timeout MS     Engine.IO pingTimeout (20000)\n" +
            "  --max-payload BYTES   Engine.IO maxPayload (1000000)\n" +
            "  --send-rate PER_S     POST /send per second each token earns, 0 = no limit (10)\n" +
            "  --send-burst N        POST /send a token may make at once (20)\n" +
            "  --log-format F        a line per request on stderr: json or text (json)\n");
        process.exit(0);
    }
    const integer = (name, min, max) => {
        const text = v[name];
        const value = Number(text);
        if (!/^\d+$/.test(text) || value < min || value > max)
            usageError(`invalid ${name.replace("-", " ")} '${text}'`);
        return value;
    };
    const options = {
        port: integer("port", 0, 65535),
        host: v.host,
        tenant: v.tenant,
        inboundInterval: integer("inbound-interval", 0, 2 ** 31 - 1),
        pingInterval: integer("ping-interval", 1, 2 ** 31 - 1),
        pingTimeout: integer("ping-timeout", 1, 2 ** 31 - 1),
        maxPayload: integer("max-payload", 1, 2 ** 31 - 1),
        conversations: v.conversation ?? [],
        sendRate: Number(v["send-rate"]),
        sendBurst: Number(v["send-burst"]),
        logFormat: v["log-format"],
    };
    if (!(options.sendRate >= 0))
        usageError(`invalid send rate '${v["send-rate"]}'`);
    if (!(options.sendBurst >= 1))
        usageError(`invalid send burst '${v["send-burst"]}'`);
    if (options.logFormat !== "json" && options.logFormat !== "text")
        usageError(`invalid log format '${options.logFormat}': json or text`);
    options.added = (v["add-conversation"] ?? []).map((spec) => {
        const [tenant, conversation, ...name] = spec.split(":");
        if (!tenant || !conversation)
            usageError(`invalid conversation '${spec}': tenant:conversation[:customer name]`);
        return { tenant, conversation, name: name.join(":") || "Customer" };
    });
    if (options.conversations.length === 0)
        options.conversations.push("demo");
    options.tokens = readTokens(v["token-file"], v["tokens-file"]);
    return options;
}

// SHA-256 of a token -> the tenant it may reach, or null for the single token of --token-file (every tenant).
function readTokens(tokenFile, tokensFile) {
    const tokens = new Map();
    const read = (file) => {
        try {
            return fs.readFileSync(file, "utf8");
        } catch (error) {
            usageError(`cannot read token file '${file}': ${error.message}`);
        }
    };
    if (tokensFile !== undefined) {
        read(tokensFile).split("\n").forEach((line, index) => {
            const trimmed = line.trim();
            if (trimmed === "" || trimmed.startsWith("#"))
                return;
            const fields = trimmed.split(/\s+/);
            if (fields.length !== 2)
                usageError(`${tokensFile}:${index + 1}: expected 'token tenantId'`);
            tokens.set(tokenDigest(fields[0]), fields[1]);
        });
    } else {
        const token = (tokenFile !== undefined ? read(tokenFile).split("\n")[0] : process.env.WIDGET_SERVER_TOKEN ?? "")
            .trim();
        if (token !== "")
            tokens.set(tokenDigest(token), null);
    }
    if (tokens.size === 0)
        usageError("no token: pass --token-file or --tokens-file, or set WIDGET_SERVER_TOKEN");
    return tokens;
}

function tokenDigest(token) {
    return crypto.createHash("sha256").update(token).digest("hex");
}

// The tenant scope of a presented token: null = any tenant, undefined = not a known token. `tokens` is keyed
// by the SHA-256 of each token: looking up the digest tells nothing about how close a guess was, as
// widget-server's constant-time comparison does not.
function tokenScope(tokens, given) {
    if (typeof given !== "string" || given === "")
        return undefined;
    return tokens.get(tokenDigest(given));
}

// RateLimiter of widget-server: a bucket per token (keyed by its hash) holding up to `burst` requests and
// earning `rate` per second. rate 0 = no limit.
class RateLimiter {
    constructor(rate, burst) {
        this.rate = rate;
        this.burst = Math.max(1, burst);
        this.buckets = new Map();
        this.lastSweep = performance.now();
    }

    // 0 when allowed, else the whole seconds until one request is earned.
    take(key) {
        if (this.rate <= 0)
            return 0;
        const now = performance.now();
        if (now - this.lastSweep >= 60000) { // a full bucket is the same as none: forget idle keys
            this.lastSweep = now;
            for (const [k, bucket] of this.buckets) {
                this.refill(bucket, now);
                if (bucket.tokens >= this.burst)
                    this.buckets.delete(k);
            }
        }
        let bucket = this.buckets.get(key);
        if (!bucket) {
            bucket = { tokens: this.burst, updated: now };
            this.buckets.set(key, bucket);
        } else {
            this.refill(bucket, now);
        }
        if (bucket.tokens >= 1) {
            bucket.tokens -= 1;
            return 0;
        }
        return Math.max(1, Math.ceil((1 - bucket.tokens) / this.rate));
    }

    refill(bucket, now) {
        bucket.tokens = Math.min(this.burst, bucket.tokens + (Math.max(0, now - bucket.updated) * this.rate) / 1000);
        bucket.updated = now;
    }
}

// AccessLog of widget-server: one line per request on stderr, never the token or the query string.
function accessLogger(format) {
    let nextId = 0;
    return (req, res, next) => {
        const start = performance.now();
        const requestId = (++nextId).toString(16).padStart(8, "0");
        res.on("finish", () => {
            const line = {
                time: new Date().toISOString(), level: "info", msg: "request", requestId, method: req.method,
                path: req.path, status: res.statusCode, duration_ms: Math.round((performance.now() - start) * 1000) / 1000,
                tenant: req.tenant || null, remote: req.socket.remoteAddress ?? "",
            };
            process.stderr.write(format === "json" ? JSON.stringify(line) + "\n"
                : `${line.time} ${line.method} ${line.path} ${line.status} ${line.duration_ms} ms ${line.tenant ?? "-"}\n`);
        });
        next();
    };
}

function randomHex(digits) {
    return crypto.randomBytes(Math.ceil(digits / 2)).toString("hex").slice(0, digits);
}

function newMessageId() {
    return `msg_${Date.now()}_${randomHex(8)}`;
}

const Rank = { sent: 1, delivered: 2, read: 3 };

// CONTRACT.md §3, as ConversationStore::applyStatus: never backwards, "failed" only over "sent".
function statusMayFollow(from, to) {
    if (to === "failed")
        return !from || from === "sent";
    const rank = Rank[to] ?? 0;
    if (rank === 0)
        return false;
    if (from === "failed")
        return rank >= 2;
    return rank > (Rank[from] ?? 0);
}

// The in-memory store of ConversationStore: messages oldest first with an id index, idempotency records.
class ConversationStore {
    constructor() {
        this.conversations = new Map();
    }

    static key(tenant, conversation) {
        return `${tenant}\n${conversation}`;
    }

    find(tenant, conversation) {
        return this.conversations.get(ConversationStore.key(tenant, conversation));
    }

    // Adds the conversation, or renames its customer when it exists already.
    add(tenant, conversation, customerName) {
        const existing = this.find(tenant, conversation);
        if (existing) {
            existing.customer.name = customerName;
            return;
        }
        const digits = crypto.createHash("sha256").update(ConversationStore.key(tenant, conversation))
            .digest().readUInt32BE(0) % 100000000;
        this.conversations.set(ConversationStore.key(tenant, conversation), {
            customer: { name: customerName, waId: `4915${String(digits).padStart(8, "0")}` },
            messages: [],
            rowById: new Map(),
            acceptedIds: new Map(),
        });
    }

    addMessage(c, message) {
        if (c.rowById.has(message.id))
            return false;
        c.rowById.set(message.id, c.messages.length); // timestamps only grow here: always appended
        c.messages.push(message);
        return true;
    }

    message(c, id) {
        const row = c.rowById.get(id);
        return row === undefined ? undefined : c.messages[row];
    }

    applyStatus(c, id, status) {
        const m = this.message(c, id);
        if (!m || m.inbound || !statusMayFollow(m.status, status))
            return false;
        m.status = status;
        return true;
    }
}

function isoTime(ms) {
    return new Date(ms).toISOString();
}

function messageJson(m) {
    const json = {
        id: m.id,
        direction: m.inbound ? "inbound" : "outbound",
        text: m.text,
        mediaUrl: m.mediaUrl || null,
        timestamp: isoTime(m.timestamp),
        status: m.status || null,
    };
    if (m.error)
        json.error = { message: m.error };
    return json;
}

function sendError(res, status, message, code) {
    res.status(status).json({ error: { message, code } });
}

// parseSendRequest() of sendrequest.cpp: the first field of a wrong type is named, then the first missing one.
function parseSendRequest(body, headerTenant) {
    let o;
    try {
        o = JSON.parse(body.toString("utf8"));
    } catch {
        o = undefined;
    }
    if (o === null || typeof o !== "object" || Array.isArray(o))
        return { error: { message: "Body must be a JSON object", code: "INVALID_JSON" } };
    let wrongType = "";
    const field = (key) => {
        const value = o[key];
        if (typeof value === "string")
            return value;
        if (value !== null && value !== undefined && wrongType === "")
            wrongType = key;
        return "";
    };
    const r = {
        messageId: field("messageId").trim(),
        conversationId: field("conversationId").trim(),
        tenantId: field("tenantId").trim(),
        integrationId: field("integrationId").trim(),
        text: field("text"),
        mediaUrl: field("mediaUrl").trim(),
    };
    if (wrongType !== "")
        return { error: { message: `${wrongType} must be a string`, code: "INVALID_FIELD" } };
    if (r.tenantId === "")
        r.tenantId = headerTenant.trim();
    const missing = (what) => ({ error: { message: `${what} required`, code: "MISSING_FIELD" } });
    if (r.conversationId === "")
        return missing("conversationId");
    if (r.tenantId === "")
        return missing("tenantId");
    if (r.integrationId === "")
        return missing("integrationId");
    if (r.text.trim() === "" && r.mediaUrl === "")
        return missing("text or mediaUrl");
    if (r.text.length > MaxTextCharacters) {
        return { error: { message: `text is ${r.text.length} characters long; the limit is ${MaxTextCharacters}`,
            code: "TEXT_TOO_LONG" } };
    }
    return { send: r };
}

function main() {
    const options = parseCommandLine();
    const store = new ConversationStore();
    for (const { tenant, conversation, name } of options.added)
        store.add(tenant, conversation, name);
    const seedStart = Date.now() - 6 * 3600 * 1000;
    for (const conversation of options.conversations) {
        store.add(options.tenant, conversation, "Maria Schneider");
        const c = store.find(options.tenant, conversation);
        for (let i = 0; i < 40; ++i) { // a history as long as widget-server's demo script
            const inbound = i % 3 === 0;
            store.addMessage(c, { id: `msg_${seedStart + i * 540000}_${(0x1a2b3c00 + i).toString(16)}`, inbound,
                text: inbound ? `Customer message ${i + 1}` : `Agent reply ${i + 1}`, mediaUrl: "",
                timestamp: seedStart + i * 540000, status: inbound ? "" : "read" });
        }
    }

    const app = express();
    app.disable("x-powered-by");
    app.set("etag", false);
    app.use(accessLogger(options.logFormat));
    const sendLimiter = new RateLimiter(options.sendRate, options.sendBurst);
    const httpServer = http.createServer(app);
    const io = new Server(httpServer, {
        pingInterval: options.pingInterval,
        pingTimeout: options.pingTimeout,
        maxHttpBufferSize: options.maxPayload,
    });
    const roomKey = (tenant, conversation) => `${tenant}\n${conversation}`;

    const tenantOf = (req) => req.get("X-Tenant-ID") || (typeof req.query.tenantId === "string" ? req.query.tenantId : "");
    const bodyReader = express.raw({ type: () => true, limit: "1mb" });

    // widget-server's order: route, method (405), token (401), body cap (413), then the route's own checks.
    const route = (method, handler) => [
        (req, res, next) => (req.method === method ? next()
            : sendError(res, 405, "Method not allowed", "METHOD_NOT_ALLOWED")),
        (req, res, next) => {
            const auth = req.get("Authorization") ?? "";
            const token = auth.slice(0, 7).toLowerCase() === "bearer " ? auth.slice(7).trim() : "";
            const key = token === "" ? "" : tokenDigest(token);
            const scope = key === "" ? undefined : options.tokens.get(key);
            if (scope === undefined)
                return sendError(res, 401, "Unauthorized", "UNAUTHORIZED");
            req.tenantScope = scope;
            req.tenant = req.get("X-Tenant-ID") ?? "";
            if (method === "POST") { // only POST /send is rate limited
                const retryAfter = sendLimiter.take(key);
                if (retryAfter > 0) {
                    res.set("Retry-After", String(retryAfter));
                    return sendError(res, 429, "Too many messages; retry later", "RATE_LIMITED");
                }
            }
            next();
        },
        bodyReader,
        (req, res) => {
            const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
            if (body.length > MaxBodyBytes)
                return sendError(res, 413, "Request body too large", "PAYLOAD_TOO_LARGE");
            handler(req, res, body);
        },
    ];
    // A token of another tenant sees the conversation as missing (no hint that it exists).
    const conversationFor = (req, tenant, conversation) =>
        req.tenantScope !== null && req.tenantScope !== tenant ? undefined : store.find(tenant, conversation);

    app.all("/api/v1/widget/context/:conversationId", route("GET", (req, res) => {
        const tenant = tenantOf(req);
        if (tenant === "")
            return sendError(res, 400, "tenantId required", "MISSING_FIELD");
        const c = conversationFor(req, tenant, req.params.conversationId);
        if (!c)
            return sendError(res, 404, "Conversation not found", "NOT_FOUND");
        res.json({ wa_id: c.customer.waId, integrationId: "demo-integration", tenantId: tenant,
            conversationId: req.params.conversationId, customer: { name: c.customer.name } });
    }));

    app.all("/api/v1/widget/conversation/:conversationId/history", route("GET", (req, res) => {
        const tenant = tenantOf(req);
        if (tenant === "")
            return sendError(res, 400, "tenantId required", "MISSING_FIELD");
        const number = (key, fallback) => {
            const text = typeof req.query[key] === "string" ? req.query[key] : "";
            return text === "" ? fallback : (/^[+-]?\d+$/.test(text) ? Number(text) : NaN);
        };
        const limit = number("limit", DefaultHistoryLimit);
        const offset = number("offset", 0);
        if (!(limit >= 1) || !(offset >= 0)) {
            return sendError(res, 400, "limit must be a positive integer, offset a non-negative one",
                "INVALID_QUERY");
        }
        const c = conversationFor(req, tenant, req.params.conversationId);
        if (!c)
            return sendError(res, 404, "Conversation not found", "NOT_FOUND");
        const total = c.messages.length;
        const end = Math.max(0, total - offset);
        const begin = Math.max(0, end - Math.min(limit, MaxHistoryLimit));
        res.json({ messages: c.messages.slice(begin, end).map(messageJson), total });
    }));

    const emitStatus = (tenant, conversation, c, messageId, status) => {
        store.applyStatus(c, messageId, status);
        io.to(roomKey(tenant, conversation)).emit("status_update",
            { messageId, status, timestamp: isoTime(Date.now()) });
    };
    // SimulatedUpstream::forward: "sent" on the next turn of the event loop, after the 200 is written.
    const forward = (tenant, conversation, c, id) => {
        const report = (status) => () => emitStatus(tenant, conversation, c, id, status);
        if (SentMs === 0)
            setImmediate(report("sent"));
        else
            setTimeout(report("sent"), SentMs);
        setTimeout(report("delivered"), DeliveredMs);
        setTimeout(report("read"), ReadMs);
    };

    app.all("/api/v1/widget/send", route("POST", (req, res, body) => {
        const parsed = parseSendRequest(body, req.get("X-Tenant-ID") ?? "");
        if (parsed.error)
            return sendError(res, 400, parsed.error.message, parsed.error.code);
        const send = parsed.send;
        const c = conversationFor(req, send.tenantId, send.conversationId);
        if (!c)
            return sendError(res, 404, "Conversation not found", "NOT_FOUND");
        if (send.messageId === "")
            send.messageId = newMessageId();
        // Idempotency (CONTRACT.md §1): a repeat is answered from the record and forwarded nowhere, unless
        // the upstream failed the message: then the repeat is the agent's Retry and goes out again.
        const known = c.acceptedIds.get(send.messageId);
        const stored = known !== undefined ? store.message(c, known) : undefined;
        if (known !== undefined && !(stored && stored.status === "failed"))
            return res.json({ success: true, messageId: known });
        let id;
        if (known !== undefined) {
            id = known;
            stored.status = "sent";
        } else {
            id = send.messageId;
            store.addMessage(c, { id, inbound: false, text: send.text, mediaUrl: send.mediaUrl,
                timestamp: Date.now(), status: "sent" });
            c.acceptedIds.set(send.messageId, id);
        }
        res.json({ success: true, messageId: id });
        forward(send.tenantId, send.conversationId, c, id);
    }));

    app.use((req, res) => sendError(res, 404, "Not found", "NOT_FOUND"));
    // Bodies over express.raw's limit, and anything else a middleware throws: a JSON 4xx, never a crash.
    app.use((error, req, res, next) => {
        const status = error.status >= 400 && error.status < 500 ? error.status : 400;
        if (status === 413)
            return sendError(res, 413, "Request body too large", "PAYLOAD_TOO_LARGE");
        sendError(res, status, "Bad request", "BAD_REQUEST");
    });

    // SocketHub: a handshake needs tenantId and conversationId in its query; the token is in the CONNECT auth.
    // tenantId / conversationId are also taken from the auth object, where some web widgets put them.
    io.use((socket, next) => {
        const query = socket.handshake.query;
        const auth = socket.handshake.auth ?? {};
        const tenant = String(query.tenantId || auth.tenantId || "");
        const conversation = String(query.conversationId || auth.conversationId || "");
        const scope = tokenScope(options.tokens, auth.token);
        if (scope === undefined)
            return next(new Error("Invalid token"));
        if (tenant === "" || conversation === "")
            return next(new Error("tenantId and conversationId required"));
        if (scope !== null && scope !== tenant)
            return next(new Error("Not authorized for this tenant"));
        socket.data.room = roomKey(tenant, conversation);
        next();
    });
    io.on("connection", (socket) => {
        socket.join(socket.data.room);
        socket.on("echo", (...args) => {
            const ack = typeof args[args.length - 1] === "function" ? args.pop() : null;
            if (ack)
                ack(...args);
        });
    });

    if (options.inboundInterval > 0) {
        setInterval(() => {
            for (const conversation of options.conversations) {
                const c = store.find(options.tenant, conversation);
                const m = { id: newMessageId(), inbound: true, text: "Hello? Is anyone there?", mediaUrl: "",
                    timestamp: Date.now(), status: "" };
                store.addMessage(c, m);
                io.to(roomKey(options.tenant, conversation)).emit("inbound_message",
                    { messageId: m.id, text: m.text, mediaUrl: null, timestamp: isoTime(m.timestamp) });
            }
        }, options.inboundInterval);
    }

    httpServer.on("error", (error) => {
        process.stderr.write(`node-widget-server: cannot listen on ${options.host}:${options.port}: ${error.message}\n`);
        process.exit(1);
    });
    httpServer.listen(options.port, options.host, () => {
        const host = ["0.0.0.0", "::", "localhost"].includes(options.host) || options.host.startsWith("127.")
            ? "127.0.0.1" : options.host;
        // Scripts wait for exactly this line, as for widget-server (and read the port from it with --port 0).
        process.stdout.write(`listening on http://${host}:${httpServer.address().port}\n`);
    });
    process.on("SIGTERM", () => {
        io.close();
        httpServer.close(() => process.exit(0));
    });
}

main();
