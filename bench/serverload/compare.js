// The server load benchmark: starts widget-server and its Node.js equivalent (express + socket.io,
// ../node-widget-server/server.js) one after the other on 127.0.0.1 port 0, runs the same load against each
// (load.js: same sockets, conversations, tokens, schedule) and prints one JSON object with both results side
// by side and their ratios. Progress goes to stderr. It is a benchmark: it asserts nothing about speed.
// With --check (the ctest smoke) it exits 1 unless every send of both runs got its 200 and its status_update
// "sent" on every socket of its conversation, so the benchmark cannot rot unnoticed.
//
// --saturation measures the targets of issue 15 instead, each server in turn in one run: a fixed rate (open loop,
// CPU per send, latency p99s, RSS), then closed-loop senders (saturation sends/s), then on a fresh process the
// RSS growth per idle connection; widget-server keeps its data in a --data-dir, and the send limit is off for
// both servers (a closed loop would trip it). The report adds each target with the ratio and whether it is met.
//
// widget-server is probed with --help first: the options it offers decide how it is started (a tokens file
// when it has --tokens-file, else one token in --token-file; a raised --send-rate when it has one) and are
// listed in the output, so every figure says which server it measured.
"use strict";

const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const crypto = require("node:crypto");
const { spawn, spawnSync } = require("node:child_process");
const { parseArgs } = require("node:util");
const { runLoad, measureIdle, Defaults } = require("./load.js");

// The load of issue 15: 200 clients over 20 conversations (10 sockets per room), 32 closed-loop senders,
// 500 sends/s for the fixed-rate figures, 2,000 idle clients.
const SaturationDefaults = { ...Defaults, sockets: 200, conversations: 20, rate: 500, senders: 32, idleSockets: 2000,
    settle: 2.5 };

function progress(message) {
    process.stderr.write(`serverload: ${message}\n`);
}

function usage(status, message) {
    if (message)
        process.stderr.write(`compare.js: ${message}\n`);
    process.stderr.write(
        "Usage: node compare.js --widget-server PATH [options]\n" +
        "  --widget-server PATH     the widget-server binary (or env WIDGET_SERVER)\n" +
        "  --node-server PATH       the Node equivalent (../node-widget-server/server.js)\n" +
        "  --servers LIST           which to run, in order (widget-server,node)\n" +
        `  --sockets N              Socket.IO clients (${Defaults.sockets})\n` +
        `  --conversations K        conversations the clients and sends are spread over (${Defaults.conversations})\n` +
        `  --rate M                 sends per second, open loop (${Defaults.rate})\n` +
        `  --duration S             measured seconds (${Defaults.duration})\n` +
        `  --warmup S               seconds of the same load before measuring (${Defaults.warmup})\n` +
        `  --drain S                longest wait for late answers and events (${Defaults.drain})\n` +
        `  --tokens T               tokens the sends and sockets rotate over (rate / 5, at least 100: 5 sends/s each)\n` +
        `  --http-connections C     keep-alive connections for the POSTs (${Defaults.httpConnections})\n` +
        "  --widget-server-arg ARG  extra argument for widget-server (repeatable)\n" +
        "  --node-server-arg ARG    extra argument for the Node server (repeatable)\n" +
        "  --repeat R               R rounds, alternating the order; the median run of each is shown (1)\n" +
        "  --check                  exit 1 unless every send got its 200 and its \"sent\" on every socket\n" +
        "  --saturation             the targets of issue 15: fixed rate, closed loop, idle connections; its defaults:\n" +
        `                           --sockets ${SaturationDefaults.sockets} --conversations ${SaturationDefaults.conversations} ` +
        `--rate ${SaturationDefaults.rate} --senders ${SaturationDefaults.senders} --idle-sockets ${SaturationDefaults.idleSockets}\n` +
        "  --senders S              closed-loop senders of --saturation, each on its own connection\n" +
        "  --idle-sockets N         idle Socket.IO clients whose memory --saturation measures\n" +
        `  --settle S               --saturation: the pause between phases and before each RSS sample (${SaturationDefaults.settle})\n`);
    process.exit(status);
}

function parseCommandLine() {
    let values;
    try {
        ({ values } = parseArgs({
            options: {
                "help": { type: "boolean" },
                "widget-server": { type: "string", default: process.env.WIDGET_SERVER },
                "node-server": { type: "string", default: path.join(__dirname, "..", "node-widget-server", "server.js") },
                "servers": { type: "string", default: "widget-server,node" },
                "sockets": { type: "string" },
                "conversations": { type: "string" },
                "rate": { type: "string" },
                "duration": { type: "string", default: String(Defaults.duration) },
                "warmup": { type: "string", default: String(Defaults.warmup) },
                "drain": { type: "string", default: String(Defaults.drain) },
                "tokens": { type: "string" },
                "http-connections": { type: "string", default: String(Defaults.httpConnections) },
                "widget-server-arg": { type: "string", multiple: true, default: [] },
                "node-server-arg": { type: "string", multiple: true, default: [] },
                "repeat": { type: "string", default: "1" },
                "check": { type: "boolean" },
                "saturation": { type: "boolean" },
                "senders": { type: "string" },
                "idle-sockets": { type: "string" },
                "settle": { type: "string", default: String(SaturationDefaults.settle) },
            },
        }));
    } catch (error) {
        usage(2, error.message);
    }
    if (values.help)
        usage(0);
    const defaults = values.saturation ? SaturationDefaults : Defaults;
    for (const [name, key] of [["sockets", "sockets"], ["conversations", "conversations"], ["rate", "rate"],
        ["senders", "senders"], ["idle-sockets", "idleSockets"]]) {
        if (values[name] === undefined)
            values[name] = String(defaults[key] ?? 0);
    }
    const number = (name, min, integer = false) => {
        const value = Number(values[name]);
        if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value)))
            usage(2, `invalid --${name} '${values[name]}'`);
        return value;
    };
    const servers = values.servers.split(",").filter((s) => s !== "");
    if (servers.length === 0 || servers.some((s) => s !== "widget-server" && s !== "node"))
        usage(2, `invalid --servers '${values.servers}': widget-server and/or node`);
    if (servers.includes("widget-server") && !values["widget-server"])
        usage(2, "no widget-server binary: pass --widget-server or set WIDGET_SERVER");
    return {
        widgetServer: values["widget-server"],
        nodeServer: values["node-server"],
        servers,
        sockets: number("sockets", 1, true),
        conversations: number("conversations", 1, true),
        rate: number("rate", 0.1),
        duration: number("duration", 0.1),
        warmup: number("warmup", 0),
        drain: number("drain", 0),
        // Enough tokens that each sends 5/s, half of widget-server's default per-token limit: 100 at 500/s.
        tokens: values.tokens === undefined ? Math.max(100, Math.ceil(Number(values.rate) / 5)) : number("tokens", 1, true),
        httpConnections: number("http-connections", 1, true),
        widgetServerArgs: values["widget-server-arg"],
        nodeServerArgs: values["node-server-arg"],
        repeat: number("repeat", 1, true),
        check: !!values.check,
        saturation: !!values.saturation,
        senders: number("senders", 0, true),
        idleSockets: number("idle-sockets", 0, true),
        settle: number("settle", 0),
    };
}

// The options widget-server's --help lists, e.g. ["--port", "--tokens-file", ...].
function widgetServerOptions(binary) {
    const help = spawnSync(binary, ["--help"], { encoding: "utf8", timeout: 10000 });
    if (help.error || help.status !== 0)
        throw new Error(`cannot run '${binary} --help': ${help.error?.message ?? help.stderr}`);
    return [...new Set([...help.stdout.matchAll(/(?:^|\s|,)(--[a-z][a-z0-9-]*)/gm)].map((m) => m[1]))].sort();
}

// Starts a server process and resolves with { child, url } once it printed "listening on URL". Its stderr
// (access logs: a line per request) goes to `logFile`, not through this process, which must stay light.
function startServer(name, command, args, logFile) {
    return new Promise((resolve, reject) => {
        const log = fs.openSync(logFile, "w");
        const child = spawn(command, args, { stdio: ["ignore", "pipe", log] });
        fs.closeSync(log);
        let stdout = "";
        const timer = setTimeout(() => fail(new Error("no 'listening on' line within 20 s")), 20000);
        const fail = (error) => {
            clearTimeout(timer);
            child.kill("SIGKILL");
            reject(new Error(`${name}: ${error.message}\n${fs.readFileSync(logFile, "utf8").slice(-2000)}`));
        };
        child.on("error", fail);
        child.on("exit", (code, signal) => fail(new Error(`exited early (${code ?? signal})`)));
        child.stdout.on("data", (chunk) => {
            stdout += chunk;
            const match = stdout.match(/listening on (http:\/\/\S+)/);
            if (match) {
                clearTimeout(timer);
                child.removeAllListeners("exit");
                child.stdout.removeAllListeners("data");
                child.stdout.resume();
                resolve({ child, url: match[1].replace(/\/$/, "") });
            }
        });
    });
}

function stopServer(child) {
    return new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null)
            return resolve();
        const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
        child.once("exit", () => {
            clearTimeout(timer);
            resolve();
        });
        child.kill("SIGTERM");
    });
}

// GET context of each conversation: the ones the server knows (a send to another one is a 404).
async function knownConversations(url, token, tenant, ids) {
    const known = [];
    for (const id of ids) {
        const response = await fetch(`${url}/api/v1/widget/context/${encodeURIComponent(id)}`,
            { headers: { "Authorization": `Bearer ${token}`, "X-Tenant-ID": tenant } });
        await response.arrayBuffer();
        if (response.status === 200)
            known.push(id);
    }
    return known;
}

// A command line as the report shows it: the tokens file by role, a run of --add-conversation as a count.
function shownArgs(args, tokensFile) {
    const shown = [];
    let adds = 0;
    for (let i = 0; i < args.length; ++i) {
        if (args[i] === "--add-conversation") {
            ++adds;
            ++i;
            continue;
        }
        shown.push(args[i] === tokensFile ? "<tokens file>" : args[i]);
    }
    if (adds > 0)
        shown.push(`--add-conversation × ${adds}`);
    return shown;
}

function ratio(a, b) {
    return a === null || b === null || b === 0 ? null : Math.round((a / b) * 1000) / 1000;
}

// widget-server / Node for each headline figure: above 1 is more throughput; below 1 is lower latency, CPU, RSS.
function ratios(w, n) {
    return {
        throughput: ratio(w.throughput_per_s, n.throughput_per_s),
        post_200_p50: ratio(w.post_200_ms.p50, n.post_200_ms.p50),
        post_200_p99: ratio(w.post_200_ms.p99, n.post_200_ms.p99),
        post_200_max: ratio(w.post_200_ms.max, n.post_200_ms.max),
        sent_event_first_socket_p50: ratio(w.sent_event_first_socket_ms.p50, n.sent_event_first_socket_ms.p50),
        sent_event_first_socket_p99: ratio(w.sent_event_first_socket_ms.p99, n.sent_event_first_socket_ms.p99),
        sent_event_all_sockets_p50: ratio(w.sent_event_all_sockets_ms.p50, n.sent_event_all_sockets_ms.p50),
        sent_event_all_sockets_p99: ratio(w.sent_event_all_sockets_ms.p99, n.sent_event_all_sockets_ms.p99),
        server_cpu_percent: ratio(w.server_process?.cpu_percent ?? null, n.server_process?.cpu_percent ?? null),
        server_cpu_per_send: ratio(w.server_process?.cpu_us_per_send ?? null, n.server_process?.cpu_us_per_send ?? null),
        server_rss_mb_max: ratio(w.server_process?.rss_mb_max ?? null, n.server_process?.rss_mb_max ?? null),
    };
}

// The smoke's verdict: what is missing, empty when every send got its 200 and its "sent" everywhere.
function problems(name, r) {
    const found = [];
    if (r.sends_ok !== r.sends_scheduled)
        found.push(`${name}: ${r.sends_scheduled - r.sends_ok} of ${r.sends_scheduled} sends without a 200`);
    for (const [key, count] of Object.entries(r.errors)) {
        if (count > 0)
            found.push(`${name}: ${key} = ${count}`);
    }
    if (r.sent_event_all_sockets_ms.count !== r.sends_scheduled)
        found.push(`${name}: "sent" reached every socket for ${r.sent_event_all_sockets_ms.count} of ${r.sends_scheduled} sends`);
    return found;
}

function checkVerdict(found) {
    if (found.length > 0) {
        progress(`check failed:\n  ${found.join("\n  ")}`);
        process.exitCode = 1;
    } else {
        progress("check passed: every send got its 200 and its \"sent\" on every socket");
    }
}

function median(values) {
    const sorted = values.filter((v) => v !== null && v !== undefined).sort((a, b) => a - b);
    return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : null;
}

// One target of issue 15: both servers' figures, widget-server ÷ Node and whether the ratio is within the bound
// (bound null: reported only).
function target(w, n, bound, higherIsBetter = false) {
    const r = ratio(w, n);
    const met = bound === null || r === null ? null : (higherIsBetter ? r >= bound : r <= bound);
    return { widget_server: w, node: n, ratio: r, target: bound === null ? "report" : `${higherIsBetter ? ">=" : "<="} ${bound}`, met };
}

// The headline figures of one server's saturation round.
function saturationHeadline(run) {
    return {
        saturation_sends_per_s: run.saturation.throughput_per_s,
        saturation_cpu_us_per_send: run.saturation.server_process?.cpu_us_per_send ?? null,
        saturation_post_200_p99_ms: run.saturation.post_200_ms.p99,
        fixed_rate_cpu_us_per_send: run.fixed_rate.server_process?.cpu_us_per_send ?? null,
        fixed_rate_post_200_p99_ms: run.fixed_rate.post_200_ms.p99,
        fixed_rate_sent_all_sockets_p99_ms: run.fixed_rate.sent_event_all_sockets_ms.p99,
        fixed_rate_rss_mb_max: run.fixed_rate.server_process?.rss_mb_max ?? null,
        idle_kib_per_connection: run.idle.kib_per_connection,
        runqueue_wait_percent: run.saturation.server_process?.runqueue_wait_percent ?? null,
        driver_cpu_percent: run.saturation.driver.cpu_percent,
    };
}

// --saturation: per server and round, a fixed rate, then the closed loop on the same process (its data dir kept),
// then a fresh process for the idle connections. Each server's headline figure is the median over the rounds.
async function runSaturation(options, common, wsArgs, nodeArgs, hasDataDir) {
    const { tokens, tenant, conversationIds, known, dir, features, loadBefore } = common;
    const order = [];
    for (let round = 0; round < options.repeat; ++round)
        order.push(...(round % 2 === 0 ? options.servers : [...options.servers].reverse()));
    const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    const runs = Object.fromEntries(options.servers.map((name) => [name, []]));
    let dataDirs = 0;
    const start = async (name, logFile) => {
        if (name !== "widget-server")
            return startServer(name, process.execPath, nodeArgs, logFile);
        const args = hasDataDir ? [...wsArgs, "--data-dir", path.join(dir, `data-${++dataDirs}`)] : wsArgs;
        return startServer(name, options.widgetServer, args, logFile);
    };
    const loadOptions = (server, senders, rate) => ({
        url: server.url, tokens, pid: server.child.pid, tenant, conversationIds,
        sendConversations: known.map((id) => conversationIds.indexOf(id)),
        sockets: options.sockets, rate, senders, duration: options.duration, warmup: options.warmup,
        drain: options.drain, httpConnections: options.httpConnections,
    });
    if (hasDataDir)
        features.widget_server_args.push("--data-dir <fresh dir per process>");
    for (const name of order) {
        const logFile = path.join(dir, `${name}.log`);
        let server = await start(name, logFile);
        progress(`${name} (pid ${server.child.pid}) listening on ${server.url}`);
        const run = {};
        try {
            run.fixed_rate = await runLoad(loadOptions(server, 0, options.rate));
            // The "read" events of the last fixed-rate sends (2 s after them) go out before the closed loop.
            await pause(options.settle * 1000);
            run.saturation = await runLoad(loadOptions(server, options.senders, options.rate));
        } finally {
            await stopServer(server.child);
        }
        if (options.idleSockets > 0) {
            server = await start(name, path.join(dir, `${name}-idle.log`));
            try {
                run.idle = await measureIdle({ ...loadOptions(server, 0, options.rate), sockets: options.idleSockets,
                    settle: options.settle });
            } finally {
                await stopServer(server.child);
            }
        } else {
            run.idle = { sockets: 0, kib_per_connection: null };
        }
        runs[name].push(run);
    }
    const headline = (name) => {
        const list = (runs[name] ?? []).map(saturationHeadline);
        if (list.length === 0)
            return null;
        return Object.fromEntries(Object.keys(list[0]).map((key) => [key, median(list.map((h) => h[key]))]));
    };
    const w = headline("widget-server");
    const n = headline("node");
    const targets = w && n ? {
        saturation_sends_per_s: target(w.saturation_sends_per_s, n.saturation_sends_per_s, 2, true),
        cpu_us_per_send_at_fixed_rate: target(w.fixed_rate_cpu_us_per_send, n.fixed_rate_cpu_us_per_send, 0.5),
        post_200_p99_ms_at_fixed_rate: target(w.fixed_rate_post_200_p99_ms, n.fixed_rate_post_200_p99_ms, 1),
        sent_all_sockets_p99_ms_at_fixed_rate: target(w.fixed_rate_sent_all_sockets_p99_ms,
            n.fixed_rate_sent_all_sockets_p99_ms, 1),
        rss_mb_max_at_fixed_rate: target(w.fixed_rate_rss_mb_max, n.fixed_rate_rss_mb_max, null),
        idle_kib_per_connection: target(w.idle_kib_per_connection, n.idle_kib_per_connection, 0.5),
        cpu_us_per_send_at_saturation: target(w.saturation_cpu_us_per_send, n.saturation_cpu_us_per_send, null),
    } : null;
    if (targets) {
        for (const [key, t] of Object.entries(targets))
            progress(`${key}: widget-server ${t.widget_server}, node ${t.node}, ratio ${t.ratio} (${t.target})${t.met === null ? "" : t.met ? " met" : " MISSED"}`);
    }
    const found = [];
    for (const [name, list] of Object.entries(runs)) {
        for (const run of list) {
            found.push(...problems(`${name} fixed rate`, run.fixed_rate), ...problems(`${name} saturation`, run.saturation));
            if (run.idle.sockets !== options.idleSockets || run.idle.sockets_disconnected > 0)
                found.push(`${name} idle: ${run.idle.sockets} of ${options.idleSockets} connected, ${run.idle.sockets_disconnected} dropped`);
        }
    }
    const middle = (name) => {
        const list = runs[name] ?? [];
        const sorted = [...list].sort((a, b) => a.saturation.throughput_per_s - b.saturation.throughput_per_s);
        return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : null;
    };
    return {
        benchmark: "serverload-saturation",
        parameters: {
            sockets: options.sockets,
            conversations: conversationIds.length,
            conversations_with_sends: known.length,
            sockets_per_conversation: Math.round(options.sockets / conversationIds.length),
            fixed_rate_per_s: options.rate,
            senders: options.senders,
            idle_sockets: options.idleSockets,
            duration_s: options.duration,
            warmup_s: options.warmup,
            tokens: tokens.length,
            repeat: options.repeat,
            widget_server_data_dir: hasDataDir,
            send_rate_limit: "off (both)",
            transport: "websocket",
            loopback: true,
        },
        features,
        machine: { cpus: os.cpus().length, node: process.version, loadavg_1m_before: Math.round(loadBefore * 100) / 100,
            loadavg_1m_after: Math.round(os.loadavg()[0] * 100) / 100 },
        targets,
        headline: { widget_server: w, node: n },
        // The round whose saturation throughput is each server's median, in full.
        widget_server: middle("widget-server"),
        node_express_socketio: middle("node"),
        all_runs: options.repeat > 1 ? Object.fromEntries(Object.entries(runs).map(([name, list]) =>
            [name, list.map(saturationHeadline)])) : undefined,
        problems: found,
    };
}

async function main() {
    const options = parseCommandLine();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "serverload-"));
    const tenant = Defaults.tenant;
    const runs = {};
    const loadBefore = os.loadavg()[0];
    if (loadBefore > os.cpus().length / 2) {
        progress(`the machine is busy (load ${loadBefore.toFixed(1)} on ${os.cpus().length} CPUs): latencies will show it; `
            + "see runqueue_wait_percent, and compare cpu_us_per_send");
    }
    try {
        const wsOptions = options.servers.includes("widget-server") ? widgetServerOptions(options.widgetServer) : [];
        const has = (option) => wsOptions.includes(option);
        // A tokens file (one "token tenantId" per line) spreads the sends over many tokens, so a per-token rate
        // limit measures as what it is and does not throttle the benchmark; without it, one token.
        const multiToken = !options.servers.includes("widget-server") || has("--tokens-file");
        const tokens = Array.from({ length: multiToken ? options.tokens : 1 },
            () => crypto.randomBytes(16).toString("hex"));
        const tokensFile = path.join(dir, multiToken ? "tokens" : "token");
        fs.writeFileSync(tokensFile, tokens.map((t) => (multiToken ? `${t} ${tenant}` : t)).join("\n") + "\n",
            { mode: 0o600 });
        const tokenArgs = [multiToken ? "--tokens-file" : "--token-file", tokensFile];
        // The rooms the sockets are spread over: c1 (the demo conversation, with its history) and c2..cK, which
        // widget-server creates with --add-conversation. A widget-server without that option knows fewer: the
        // sends go to the ones it knows, the other rooms hold idle sockets, so the fan-out per send is the same.
        const conversationIds = Array.from({ length: options.conversations }, (_, i) => `c${i + 1}`);
        // With --saturation widget-server keeps a data dir, where only --add-conversation creates c1 too.
        const added = has("--add-conversation") || !options.servers.includes("widget-server")
            ? conversationIds.slice(options.saturation ? 0 : 1) : [];
        const addArgs = added.flatMap((id) => ["--add-conversation", `${tenant}:${id}:Customer ${id}`]);
        let known = conversationIds;

        const wsArgs = ["--port", "0", "--tenant", tenant, ...tokenArgs, "--conversation", conversationIds[0], ...addArgs];
        // Limits stay at their defaults unless the load would trip them: with one token, all sends share
        // one bucket, so the send limit is lifted (for both servers); the per-address connection limit is
        // raised to what the driver opens from 127.0.0.1.
        const sendRateArgs = (!multiToken || options.saturation) && has("--send-rate") ? ["--send-rate", "0"] : [];
        wsArgs.push(...sendRateArgs);
        if (has("--max-connections-per-ip")) {
            const connections = Math.max(options.sockets, options.idleSockets) + Math.max(options.httpConnections, options.senders);
            wsArgs.push("--max-connections-per-ip", String(connections + 16));
        }
        wsArgs.push(...options.widgetServerArgs);

        const features = {
            widget_server_options: wsOptions,
            tokens: tokens.length,
            widget_server_args: shownArgs(wsArgs, tokensFile),
        };
        if (options.servers.includes("widget-server")) {
            // The conversations widget-server has decide where the sends go, for both servers alike.
            const probe = await startServer("widget-server", options.widgetServer, wsArgs, path.join(dir, "probe.log"));
            known = await knownConversations(probe.url, tokens[0], tenant, conversationIds);
            await stopServer(probe.child);
            if (known.length === 0)
                throw new Error("widget-server does not know conversation c1 (see the arguments above)");
            if (known.length < conversationIds.length) {
                progress(`widget-server has ${known.length} of the ${conversationIds.length} conversations: `
                    + `the sends go to ${known.join(", ")}; the other rooms hold idle sockets`);
            }
        }
        const nodeArgs = [options.nodeServer, "--port", "0", "--tenant", tenant, ...tokenArgs,
            "--conversation", conversationIds[0],
            ...known.slice(1).flatMap((id) => ["--add-conversation", `${tenant}:${id}:Customer ${id}`]),
            ...(multiToken && !options.saturation ? [] : ["--send-rate", "0"]),
            ...options.nodeServerArgs];
        features.node_server_args = shownArgs(nodeArgs.slice(1), tokensFile);

        if (options.saturation) {
            const common = { tokens, tenant, conversationIds, known, dir, features, loadBefore };
            const report = await runSaturation(options, common, wsArgs, nodeArgs, has("--data-dir"));
            process.stdout.write(JSON.stringify(report, null, 2) + "\n");
            if (options.check)
                checkVerdict(report.problems);
            return;
        }

        // With --repeat, the order alternates (A B, B A, ...), so a machine getting busier or quieter during the
        // run does not favour one server; each server's headline run is its median by POST p99.
        const order = [];
        for (let round = 0; round < options.repeat; ++round)
            order.push(...(round % 2 === 0 ? options.servers : [...options.servers].reverse()));
        const allRuns = Object.fromEntries(options.servers.map((name) => [name, []]));
        for (const name of order) {
            const logFile = path.join(dir, `${name}.log`);
            const server = name === "widget-server"
                ? await startServer(name, options.widgetServer, wsArgs, logFile)
                : await startServer(name, process.execPath, nodeArgs, logFile);
            progress(`${name} (pid ${server.child.pid}) listening on ${server.url}`);
            let result;
            try {
                result = await runLoad({
                    url: server.url,
                    tokens,
                    pid: server.child.pid,
                    tenant,
                    conversationIds,
                    sendConversations: known.map((id) => conversationIds.indexOf(id)),
                    sockets: options.sockets,
                    rate: options.rate,
                    duration: options.duration,
                    warmup: options.warmup,
                    drain: options.drain,
                    httpConnections: options.httpConnections,
                });
            } finally {
                await stopServer(server.child);
            }
            result.server_log_lines = fs.readFileSync(logFile, "utf8").split("\n").length - 1;
            allRuns[name].push(result);
        }
        for (const [name, list] of Object.entries(allRuns)) {
            const sorted = [...list].sort((a, b) => (a.post_200_ms.p99 ?? Infinity) - (b.post_200_ms.p99 ?? Infinity));
            runs[name] = sorted[Math.floor((sorted.length - 1) / 2)];
        }

        const report = {
            benchmark: "serverload",
            parameters: {
                sockets: options.sockets,
                conversations: conversationIds.length,
                conversations_with_sends: known.length,
                rate_per_s: options.rate,
                duration_s: options.duration,
                warmup_s: options.warmup,
                tokens: tokens.length,
                http_connections: options.httpConnections,
                repeat: options.repeat,
                transport: "websocket",
                loopback: true,
            },
            features,
            machine: { cpus: os.cpus().length, node: process.version, loadavg_1m_before: Math.round(loadBefore * 100) / 100,
                loadavg_1m_after: Math.round(os.loadavg()[0] * 100) / 100 },
            widget_server: runs["widget-server"] ?? null,
            node_express_socketio: runs.node ?? null,
            ratios_widget_server_over_node: runs["widget-server"] && runs.node ? ratios(runs["widget-server"], runs.node) : null,
            // Every run's headline figures, in the order run, when there was more than one.
            all_runs: options.repeat > 1 ? order.map((name, i) => {
                const r = allRuns[name][Math.floor(i / options.servers.length)];
                return { server: name, post_200_ms: r.post_200_ms, sent_event_all_sockets_ms: r.sent_event_all_sockets_ms,
                    throughput_per_s: r.throughput_per_s, server_process: r.server_process,
                    driver_cpu_percent: r.driver.cpu_percent, loadavg_1m: r.loadavg_1m };
            }) : undefined,
        };
        process.stdout.write(JSON.stringify(report, null, 2) + "\n");

        if (options.check)
            checkVerdict(Object.entries(allRuns).flatMap(([name, list]) => list.flatMap((r) => problems(name, r))));
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

main().catch((error) => {
    progress(error.message);
    process.exit(1);
});
