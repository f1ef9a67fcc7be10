// The server load benchmark: starts widget-server and its Node.js equivalent (express + socket.io,
// ../node-widget-server/server.js) one after the other on 127.0.0.1 port 0, runs the same load against each
// (load.js: same sockets, conversations, tokens, schedule) and prints one JSON object with both results side
// by side and their ratios. Progress goes to stderr. It is a benchmark: it asserts nothing about speed.
// With --check (the ctest smoke) it exits 1 unless every send of both runs got its 200 and its status_update
// "sent" on every socket of its conversation, so the benchmark cannot rot unnoticed.
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
const { runLoad, Defaults } = require("./load.js");

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
        "  --check                  exit 1 unless every send got its 200 and its \"sent\" on every socket\n");
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
                "sockets": { type: "string", default: String(Defaults.sockets) },
                "conversations": { type: "string", default: String(Defaults.conversations) },
                "rate": { type: "string", default: String(Defaults.rate) },
                "duration": { type: "string", default: String(Defaults.duration) },
                "warmup": { type: "string", default: String(Defaults.warmup) },
                "drain": { type: "string", default: String(Defaults.drain) },
                "tokens": { type: "string" },
                "http-connections": { type: "string", default: String(Defaults.httpConnections) },
                "widget-server-arg": { type: "string", multiple: true, default: [] },
                "node-server-arg": { type: "string", multiple: true, default: [] },
                "repeat": { type: "string", default: "1" },
                "check": { type: "boolean" },
            },
        }));
    } catch (error) {
        usage(2, error.message);
    }
    if (values.help)
        usage(0);
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
        const added = has("--add-conversation") || !options.servers.includes("widget-server")
            ? conversationIds.slice(1) : [];
        const addArgs = added.flatMap((id) => ["--add-conversation", `${tenant}:${id}:Customer ${id}`]);
        let known = conversationIds;

        const wsArgs = ["--port", "0", "--tenant", tenant, ...tokenArgs, "--conversation", conversationIds[0], ...addArgs];
        // Limits stay at their defaults unless the load would trip them: with one token, all sends share
        // one bucket, so the send limit is lifted (for both servers); the per-address connection limit is
        // raised to what the driver opens from 127.0.0.1.
        const sendRateArgs = !multiToken && has("--send-rate") ? ["--send-rate", "0"] : [];
        wsArgs.push(...sendRateArgs);
        if (has("--max-connections-per-ip"))
            wsArgs.push("--max-connections-per-ip", String(options.sockets + options.httpConnections + 16));
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
            ...(multiToken ? [] : ["--send-rate", "0"]),
            ...options.nodeServerArgs];
        features.node_server_args = shownArgs(nodeArgs.slice(1), tokensFile);

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

        if (options.check) {
            const found = Object.entries(allRuns).flatMap(([name, list]) => list.flatMap((r) => problems(name, r)));
            if (found.length > 0) {
                progress(`check failed:\n  ${found.join("\n  ")}`);
                process.exitCode = 1;
            } else {
                progress(`check passed: ${Object.keys(runs).join(" and ")}, every send got its 200 and its "sent" on every socket`);
            }
        }
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

main().catch((error) => {
    progress(error.message);
    process.exit(1);
});
