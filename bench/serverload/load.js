// The load driver of the server benchmark: N Socket.IO clients (the stock npm socket.io-client, WebSocket
// transport, as the console connects) spread over K conversations, and POST /api/v1/widget/send over keep-alive
// connections for a fixed time, after a warm-up, either
//  - open loop: M sends per second on a schedule. A slow server shows as latency, not as fewer requests: send i
//    leaves at start + i/M whatever the answers before it did; or
//  - closed loop (senders > 0): S senders, each sending its next request as soon as the last one was answered,
//    so the server's answers set the pace: its saturation throughput.
// measureIdle() connects N clients that do nothing and reports the server's RSS growth per connection.
//
// Per send it measures POST -> 200 (from the moment the request is handed to the HTTP agent, so waiting for a
// free connection counts) and POST -> status_update "sent" on the first and on the last socket of the
// conversation (the fan-out). It samples the server process's RSS and CPU from /proc/<pid>, and its own CPU
// and event-loop delay, which say whether the driver kept up. Used by compare.js; runs alone as
//   node load.js --url http://127.0.0.1:PORT --tokens-file F [--pid SERVER_PID] [options]   (see --help)
"use strict";

const fs = require("node:fs");
const http = require("node:http");
const os = require("node:os");
const { execFileSync } = require("node:child_process");
const { parseArgs } = require("node:util");
const { performance, monitorEventLoopDelay } = require("node:perf_hooks");
const { io } = require("socket.io-client");

const Defaults = {
    sockets: 200,
    conversations: 50,
    rate: 500,
    duration: 20,
    warmup: 3,
    drain: 10,
    httpConnections: 64,
    tenant: "bench",
    senders: 0, // closed loop when > 0
};

function progress(message) {
    process.stderr.write(`serverload: ${message}\n`);
}

// Nearest-rank percentile of a sorted array, in ms rounded to µs.
function percentile(sorted, q) {
    if (sorted.length === 0)
        return null;
    const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
    return round(sorted[rank]);
}

function round(value, digits = 3) {
    if (value === null || value === undefined || !Number.isFinite(value))
        return null;
    const f = 10 ** digits;
    return Math.round(value * f) / f;
}

function summary(values) {
    const sorted = Float64Array.from(values).sort();
    const sum = sorted.reduce((a, b) => a + b, 0);
    return {
        count: sorted.length,
        p50: percentile(sorted, 0.5),
        p90: percentile(sorted, 0.9),
        p99: percentile(sorted, 0.99),
        max: sorted.length ? round(sorted[sorted.length - 1]) : null,
        mean: sorted.length ? round(sum / sorted.length) : null,
    };
}

function runQueueWaitSeconds(pid) {
    let ns = 0;
    for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
        try {
            ns += Number(fs.readFileSync(`/proc/${pid}/task/${task}/schedstat`, "utf8").split(" ")[1]);
        } catch {
            // the thread ended in between
        }
    }
    return ns / 1e9;
}

// The server process as /proc sees it: CPU ticks (user + system), RSS, high-water mark, threads. Several
// processes (instances behind one load, a comma-separated --pid) are summed.
class ProcessProbe {
    constructor(pid) {
        this.pids = String(pid).split(",").map(Number);
        this.pid = this.pids.join(",");
        this.ticksPerSecond = 100;
        try {
            this.ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
        } catch {
            // Linux's USER_HZ is 100 everywhere this runs
        }
        this.rssMax = 0;
        this.samples = [];
    }

    cpuSeconds() {
        let seconds = 0;
        for (const pid of this.pids) {
            const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
            const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // field 3 (state) onwards
            seconds += (Number(fields[11]) + Number(fields[12])) / this.ticksPerSecond; // utime, stime
        }
        return seconds;
    }

    // Seconds the process's threads were runnable but waited for a CPU (schedstat): on a shared machine,
    // how much of its latency was other processes' doing.
    waitSeconds() {
        return this.pids.reduce((sum, pid) => sum + runQueueWaitSeconds(pid), 0);
    }

    status() {
        const total = { rssKb: 0, hwmKb: 0, threads: 0 };
        for (const pid of this.pids) {
            const text = fs.readFileSync(`/proc/${pid}/status`, "utf8");
            const kb = (key) => Number((text.match(new RegExp(`^${key}:\\s+(\\d+)`, "m")) ?? [])[1] ?? NaN);
            total.rssKb += kb("VmRSS");
            total.hwmKb += kb("VmHWM");
            total.threads += kb("Threads");
        }
        return total;
    }

    sample() {
        try {
            const s = this.status();
            this.rssMax = Math.max(this.rssMax, s.rssKb);
            this.samples.push(s.rssKb);
        } catch {
            // the process ended: the report says so through missing figures
        }
    }
}

function connectSocket(url, tenant, conversation, token, timeoutMs) {
    return new Promise((resolve, reject) => {
        const socket = io(url, {
            transports: ["websocket"],
            forceNew: true, // one connection per client, as N consoles would have
            reconnection: false,
            timeout: timeoutMs,
            // CONTRACT.md §2 names the room in the query; some backends read it from the auth object.
            query: { tenantId: tenant, conversationId: conversation },
            auth: { token, tenantId: tenant, conversationId: conversation },
        });
        socket.once("connect", () => resolve(socket));
        socket.once("connect_error", (error) => {
            socket.close();
            reject(new Error(`socket for ${conversation}: ${error.message}`));
        });
    });
}

// Connects `count` clients, `parallel` at a time, so a listen backlog or a per-IP limit is not flooded.
async function connectAll(options, onSocket) {
    const sockets = [];
    const parallel = 20;
    for (let first = 0; first < options.sockets; first += parallel) {
        const batch = [];
        for (let i = first; i < Math.min(options.sockets, first + parallel); ++i) {
            const conversation = i % options.conversationIds.length;
            const token = options.tokens[i % options.tokens.length];
            const urls = options.url.split(","); // several instances: the clients are spread over them
            batch.push(connectSocket(urls[i % urls.length], options.tenant, options.conversationIds[conversation], token, 20000)
                .then((socket) => {
                    onSocket(socket, conversation);
                    return socket;
                }));
        }
        const settled = await Promise.allSettled(batch);
        for (const result of settled) {
            if (result.status === "fulfilled")
                sockets.push(result.value);
        }
        const failed = settled.find((result) => result.status === "rejected");
        if (failed) {
            sockets.forEach((socket) => socket.close());
            throw failed.reason;
        }
    }
    return sockets;
}

// Runs the load against one server and resolves with its figures. options: url, tokens (array), tenant,
// conversationIds (the rooms the sockets are spread over), sendConversations (those the server has, which the
// sends rotate over; all by default), sockets, rate, duration, warmup, drain (s), httpConnections, pid.
// A room without sends still holds its sockets: connected, pinged, idle, as consoles on quiet chats are.
async function runLoad(options) {
    // Several instances (a comma-separated --url): sockets and sends go round them, each its own connections.
    const targets = options.url.split(",").map((u) => ({ url: new URL(u),
        agent: new http.Agent({ keepAlive: true,
            maxSockets: options.senders > 0 ? options.senders : options.httpConnections }) }));
    const probe = options.pid ? new ProcessProbe(options.pid) : null;
    const socketsPerConversation = new Array(options.conversationIds.length).fill(0);
    const sendConversations = options.sendConversations ?? options.conversationIds.map((_, i) => i);
    const byId = new Map(); // message id (client's, and the server's if it differs) -> record
    const early = new Map(); // ids of "sent" events that came before the 200 told us the server's id
    const events = { sent: 0, delivered: 0, read: 0, failed: 0, other: 0 };

    const now = () => performance.now();
    const onStatus = (payload) => {
        const t = now();
        const status = payload?.status;
        events[status in events ? status : "other"]++;
        if (status !== "sent")
            return;
        const record = byId.get(payload.messageId);
        if (!record) {
            const seen = early.get(payload.messageId) ?? [];
            seen.push(t);
            early.set(payload.messageId, seen);
            return;
        }
        noteSent(record, t);
    };
    const noteSent = (record, t) => {
        if (record.sentCount++ === 0)
            record.tSentFirst = t;
        if (record.sentCount === socketsPerConversation[record.conversation])
            record.tSentAll = t;
    };

    let closing = false;
    const disconnects = [];
    progress(`${options.url}: connecting ${options.sockets} sockets over ${options.conversationIds.length} conversations, `
        + `sends to ${sendConversations.length} of them`);
    const connectStart = now();
    const sockets = await connectAll(options, (socket, conversation) => {
        socketsPerConversation[conversation]++;
        socket.on("status_update", onStatus);
        socket.on("disconnect", (reason) => {
            if (!closing)
                disconnects.push(reason);
        });
    });
    const connectMs = now() - connectStart;

    let total = Math.round(options.rate * (options.warmup + options.duration));
    let warmupSends = Math.round(options.rate * options.warmup);
    const records = [];
    const errors = {};
    const addError = (key) => (errors[key] = (errors[key] ?? 0) + 1);
    const lateness = [];
    let answered = 0;

    // done() runs once, when the answer (or the error) is in.
    const send = (i, tDue, done = () => {}) => {
        const conversation = sendConversations[i % sendConversations.length];
        const messageId = `msg_${Date.now()}_${i.toString(16).padStart(8, "0")}`; // the console's shape, unique per run
        const record = { i, conversation, messageId, tIssue: now(), t200: null, httpStatus: null, error: null,
            sentCount: 0, tSentFirst: null, tSentAll: null };
        lateness.push(record.tIssue - tDue);
        records.push(record);
        byId.set(messageId, record);
        const body = JSON.stringify({
            messageId,
            conversationId: options.conversationIds[conversation],
            tenantId: options.tenant,
            integrationId: "bench-integration",
            text: `Load test message ${i}`,
            mediaUrl: null,
        });
        const target = targets[i % targets.length];
        const request = http.request({
            agent: target.agent,
            host: target.url.hostname,
            port: target.url.port,
            method: "POST",
            path: "/api/v1/widget/send",
            headers: {
                "Content-Type": "application/json",
                "Content-Length": Buffer.byteLength(body),
                "Authorization": `Bearer ${options.tokens[i % options.tokens.length]}`,
                "X-Tenant-ID": options.tenant,
            },
        }, (response) => {
            const chunks = [];
            response.on("data", (chunk) => chunks.push(chunk));
            response.on("end", () => {
                record.t200 = now();
                record.httpStatus = response.statusCode;
                ++answered;
                done();
                if (response.statusCode !== 200)
                    return addError(`http_${response.statusCode}`);
                let serverId = messageId;
                try {
                    serverId = JSON.parse(Buffer.concat(chunks).toString("utf8")).messageId || messageId;
                } catch {
                    addError("bad_json");
                }
                if (serverId !== messageId) {
                    byId.set(serverId, record); // the upstream assigned its own id (CONTRACT.md §1)
                    for (const t of early.get(serverId) ?? [])
                        noteSent(record, t);
                    early.delete(serverId);
                }
            });
        });
        request.setTimeout(30000, () => request.destroy(new Error("timeout")));
        request.on("error", (error) => {
            if (record.httpStatus !== null || record.error)
                return;
            record.error = error.code ?? error.message;
            ++answered;
            done();
            addError(`net_${record.error}`);
        });
        request.end(body);
    };

    // The measured window starts with the first send after the warm-up.
    let cpuStart = null;
    let driverCpuStart = null;
    let waitStart = null;
    let driverWaitStart = null;
    let measuredStart = null;
    const loopDelay = monitorEventLoopDelay({ resolution: 1 });
    const sampler = probe ? setInterval(() => probe.sample(), 200) : null;
    probe?.sample();

    const startMeasuring = (index, t) => {
        warmupSends = index;
        measuredStart = t;
        cpuStart = probe ? probe.cpuSeconds() : null;
        waitStart = probe ? probe.waitSeconds() : null;
        driverWaitStart = runQueueWaitSeconds(process.pid);
        driverCpuStart = process.cpuUsage();
        loopDelay.enable();
    };
    const start = now();
    if (options.senders > 0) {
        // Closed loop: each sender sends again as soon as its last send was answered, until the time is up.
        progress(`${options.url}: ${options.senders} closed-loop senders for ${options.warmup} s warm-up + `
            + `${options.duration} s`);
        const warmupEnd = start + options.warmup * 1000;
        const end = warmupEnd + options.duration * 1000;
        await new Promise((resolve) => {
            let running = options.senders;
            let next = 0;
            const sendNext = () => {
                const t = now();
                if (t >= end) {
                    if (--running === 0)
                        resolve();
                    return;
                }
                if (measuredStart === null && t >= warmupEnd)
                    startMeasuring(next, t);
                send(next++, t, () => setImmediate(sendNext));
            };
            for (let s = 0; s < options.senders; ++s)
                sendNext();
        });
        if (measuredStart === null)
            startMeasuring(records.length, now());
        total = records.length;
    } else {
        progress(`${options.url}: ${total} sends at ${options.rate}/s (${options.warmup} s warm-up + ${options.duration} s)`);
        await new Promise((resolve) => {
            let next = 0;
            const tick = () => {
                const t = now();
                while (next < total && start + (next * 1000) / options.rate <= t) {
                    if (next === warmupSends)
                        startMeasuring(next, start + (next * 1000) / options.rate);
                    send(next, start + (next * 1000) / options.rate);
                    ++next;
                }
                if (next >= total)
                    return resolve();
                setTimeout(tick, Math.max(0, start + (next * 1000) / options.rate - now()));
            };
            tick();
        });
    }
    const scheduleEnd = now();

    // Drain: every measured send answered and, when accepted, its "sent" seen on every socket of its room.
    const measured = records.slice(warmupSends);
    const done = () => answered === records.length
        && measured.every((r) => r.httpStatus !== 200 || r.tSentAll !== null);
    const drainStart = now();
    while (!done() && now() - drainStart < options.drain * 1000)
        await new Promise((resolve) => setTimeout(resolve, 20));
    const end = now();
    loopDelay.disable();
    const cpuEnd = probe ? probe.cpuSeconds() : null;
    const waitEnd = probe ? probe.waitSeconds() : null;
    const driverWaitEnd = runQueueWaitSeconds(process.pid);
    const driverCpu = process.cpuUsage(driverCpuStart ?? undefined);
    if (sampler)
        clearInterval(sampler);
    probe?.sample();
    const serverStatus = probe ? probe.status() : null;

    closing = true;
    sockets.forEach((socket) => socket.close());
    targets.forEach((target) => target.agent.destroy());

    // Figures of the measured sends only.
    const ok = measured.filter((r) => r.httpStatus === 200);
    const lastAnswer = Math.max(...measured.map((r) => r.t200 ?? 0));
    const wall = (end - measuredStart) / 1000;
    const missing200 = measured.length - measured.filter((r) => r.httpStatus !== null || r.error).length;
    const result = {
        url: options.url,
        loadavg_1m: round(os.loadavg()[0], 2), // of the machine, at the end of the run
        sends_scheduled: measured.length,
        sends_ok: ok.length,
        mode: options.senders > 0 ? "closed_loop" : "open_loop",
        offered_per_s: options.senders > 0 ? null : options.rate,
        senders: options.senders > 0 ? options.senders : undefined,
        // Answers per second over the measured time, or longer when the answers came in later than the schedule.
        throughput_per_s: ok.length
            ? round(ok.length / Math.max(options.duration, (lastAnswer - measuredStart) / 1000), 1) : 0,
        post_200_ms: summary(ok.map((r) => r.t200 - r.tIssue)),
        sent_event_first_socket_ms: summary(ok.filter((r) => r.tSentFirst !== null).map((r) => r.tSentFirst - r.tIssue)),
        sent_event_all_sockets_ms: summary(ok.filter((r) => r.tSentAll !== null).map((r) => r.tSentAll - r.tIssue)),
        errors: {
            ...errors,
            no_answer: missing200,
            sent_event_missing: ok.filter((r) => r.tSentFirst === null).length,
            sent_event_incomplete: ok.filter((r) => r.tSentAll === null).length,
            sockets_disconnected: disconnects.length,
        },
        status_events_received: { ...events, sent_of_unknown_ids: early.size },
        sockets: sockets.length,
        sockets_per_conversation: { min: Math.min(...socketsPerConversation), max: Math.max(...socketsPerConversation) },
        conversations_with_sends: sendConversations.length,
        connect_all_ms: round(connectMs, 1),
        server_process: probe ? {
            pid: options.pid,
            cpu_percent: round(((cpuEnd - cpuStart) / wall) * 100, 1), // of one core, over the measured window + drain
            cpu_seconds: round(cpuEnd - cpuStart, 2),
            // CPU time per accepted send (its REST work, its 3 status events to 4 sockets, the pings and the
            // access log): the figure a busy machine disturbs least.
            cpu_us_per_send: ok.length ? round(((cpuEnd - cpuStart) / ok.length) * 1e6, 0) : null,
            runqueue_wait_percent: round(((waitEnd - waitStart) / wall) * 100, 1), // runnable, waiting for a CPU
            rss_mb_max: round(probe.rssMax / 1024, 1),
            rss_mb_end: round(serverStatus.rssKb / 1024, 1),
            rss_mb_hwm: round(serverStatus.hwmKb / 1024, 1),
            threads: serverStatus.threads,
        } : null,
        driver: {
            cpu_percent: round(((driverCpu.user + driverCpu.system) / 1e6 / wall) * 100, 1),
            runqueue_wait_percent: round(((driverWaitEnd - driverWaitStart) / wall) * 100, 1),
            schedule_lateness_ms: options.senders > 0 ? null : summary(lateness.slice(warmupSends)),
            // A 1 ms timer's delay beyond its 1 ms: how long the driver's own loop was busy.
            event_loop_lag_ms: { p99: round(Math.max(0, loopDelay.percentile(99) / 1e6 - 1)),
                max: round(Math.max(0, loopDelay.max / 1e6 - 1)) },
            schedule_s: round((scheduleEnd - start) / 1000, 2),
            drain_s: round((end - scheduleEnd) / 1000, 2),
        },
    };
    return result;
}

// Memory per idle Socket.IO connection: the server's RSS before and after `sockets` clients connected (WebSocket,
// spread over the conversations like the load's) and did nothing for `settle` seconds. Resolves with the figures;
// the clients are closed again.
async function measureIdle(options) {
    const probe = new ProcessProbe(options.pid);
    const settleMs = (options.settle ?? 2) * 1000;
    const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    await pause(settleMs);
    const before = probe.status();
    progress(`${options.url}: connecting ${options.sockets} idle sockets`);
    const connectStart = performance.now();
    let disconnected = 0;
    let closing = false;
    const sockets = await connectAll(options, (socket) => socket.on("disconnect", () => {
        if (!closing)
            ++disconnected;
    }));
    const connectMs = performance.now() - connectStart;
    await pause(settleMs);
    const after = probe.status();
    closing = true;
    sockets.forEach((socket) => socket.close());
    return {
        sockets: sockets.length,
        rss_mb_before: round(before.rssKb / 1024, 1),
        rss_mb_after: round(after.rssKb / 1024, 1),
        kib_per_connection: round((after.rssKb - before.rssKb) / sockets.length, 2), // RSS growth / connections
        connect_all_ms: round(connectMs, 1),
        sockets_disconnected: disconnected,
        threads: after.threads,
    };
}

function readTokens(file) {
    const tokens = [];
    for (const line of fs.readFileSync(file, "utf8").split("\n")) {
        const token = line.trim().split(/\s+/)[0];
        if (token)
            tokens.push(token);
    }
    return tokens;
}

async function main() {
    let values;
    try {
        ({ values } = parseArgs({
            options: {
                "help": { type: "boolean" },
                "url": { type: "string" },
                "tokens-file": { type: "string" },
                "pid": { type: "string" },
                "tenant": { type: "string", default: Defaults.tenant },
                "conversation": { type: "string", multiple: true },
                "conversations": { type: "string", default: String(Defaults.conversations) },
                "send-conversations": { type: "string" },
                "sockets": { type: "string", default: String(Defaults.sockets) },
                "rate": { type: "string", default: String(Defaults.rate) },
                "duration": { type: "string", default: String(Defaults.duration) },
                "warmup": { type: "string", default: String(Defaults.warmup) },
                "drain": { type: "string", default: String(Defaults.drain) },
                "http-connections": { type: "string", default: String(Defaults.httpConnections) },
                "senders": { type: "string", default: String(Defaults.senders) },
            },
        }));
    } catch (error) {
        process.stderr.write(`load.js: ${error.message}\n`);
        process.exit(2);
    }
    if (values.help || !values.url || !values["tokens-file"]) {
        process.stderr.write("Usage: node load.js --url URL[,URL...] --tokens-file F [--pid PID[,PID...]] [--tenant T]\n"
            + "  [--conversation ID]... | [--conversations K (c1..cK)] [--send-conversations J (the first J get sends)]\n"
            + "  [--sockets N] [--rate M | --senders S (closed loop)] [--duration S]\n"
            + "  [--warmup S] [--drain S] [--http-connections C]\n"
            + "F: one token per line (a 'token tenantId' line works too). Prints the figures as JSON.\n");
        process.exit(values.help ? 0 : 2);
    }
    const number = (name) => {
        const value = Number(values[name]);
        if (!Number.isFinite(value) || value < 0) {
            process.stderr.write(`load.js: invalid --${name} '${values[name]}'\n`);
            process.exit(2);
        }
        return value;
    };
    const conversationIds = values.conversation
        ?? Array.from({ length: number("conversations") }, (_, i) => `c${i + 1}`);
    const result = await runLoad({
        url: values.url,
        tokens: readTokens(values["tokens-file"]),
        pid: values.pid || null, // one pid, or several comma-separated (summed)
        tenant: values.tenant,
        conversationIds,
        sendConversations: values["send-conversations"] === undefined ? undefined
            : Array.from({ length: Math.min(conversationIds.length, number("send-conversations")) }, (_, i) => i),
        sockets: number("sockets"),
        rate: number("rate"),
        duration: number("duration"),
        warmup: number("warmup"),
        drain: number("drain"),
        httpConnections: number("http-connections"),
        senders: number("senders"),
    });
    process.stdout.write(JSON.stringify(result, null, 2) + "\n");
}

module.exports = { runLoad, measureIdle, Defaults };

if (require.main === module) {
    main().catch((error) => {
        process.stderr.write(`load.js: ${error.message}\n`);
        process.exit(1);
    });
}
