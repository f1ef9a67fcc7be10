// A real Node.js socket.io 4.x backend for tst_nodeinterop: the stack the console's users run today
// (CONTRACT.md §2). Driven by the test through JSON lines: commands on stdin, observations on stdout.
//
// Environment: TOKEN (required), PING_INTERVAL / PING_TIMEOUT (ms), RECOVERY=1 for connection-state recovery,
// TLS_CERT + TLS_KEY (PEM files) to serve https/wss instead of http/ws (tst_nodeinterop_tls).
// stdout: first {"port":N}, then {"event":...} lines. The token is never printed.
"use strict";

const fs = require("node:fs");
const http = require("node:http");
const https = require("node:https");
const readline = require("node:readline");
const { Server } = require("socket.io");

const token = process.env.TOKEN;
if (!token) {
    console.error("socketio-server.js: TOKEN is not set");
    process.exit(2);
}

function report(line) {
    process.stdout.write(JSON.stringify(line) + "\n");
}

function envInt(name) {
    const value = Number.parseInt(process.env[name] ?? "", 10);
    return Number.isFinite(value) ? value : undefined;
}

// REST next to the socket, as a real backend serves both from one origin: POST /api/v1/widget/send is
// accepted (CONTRACT.md §1), anything else is a 404. Each request is reported, so a test can prove that
// nothing reached the server, e.g. after a refused certificate. Socket.IO's own paths never get here.
function answerRest(request, response) {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
        report({ event: "http-request", method: request.method, url: request.url, secure: !!request.socket.encrypted });
        response.setHeader("Content-Type", "application/json");
        if (request.method === "POST" && request.url === "/api/v1/widget/send") {
            let messageId = "";
            try {
                messageId = JSON.parse(body).messageId ?? "";
            } catch {
                // an unreadable body still gets an answer; the test sees what arrived
            }
            response.end(JSON.stringify({ success: true, messageId }));
        } else {
            response.statusCode = 404;
            response.end(JSON.stringify({ error: { message: "Not found", code: "NOT_FOUND" } }));
        }
    });
}

const tls = process.env.TLS_CERT && process.env.TLS_KEY;
const httpServer = tls
    ? https.createServer({ cert: fs.readFileSync(process.env.TLS_CERT), key: fs.readFileSync(process.env.TLS_KEY) },
          answerRest)
    : http.createServer(answerRest);
if (tls) {
    // A client that refuses our certificate aborts the handshake: seen here, and nothing else is.
    httpServer.on("tlsClientError", (error) => report({ event: "tls-client-error", code: error.code ?? "" }));
}
const options = { pingInterval: envInt("PING_INTERVAL"), pingTimeout: envInt("PING_TIMEOUT") };
for (const key of Object.keys(options)) {
    if (options[key] === undefined)
        delete options[key];
}
if (process.env.RECOVERY === "1") {
    // Middlewares run on a recovered session too: a backend must not trust a pid in place of a token.
    options.connectionStateRecovery = { maxDisconnectionDuration: 60000, skipMiddlewares: false };
}
if (process.env.TRANSPORTS)
    options.transports = process.env.TRANSPORTS.split(",");
if (process.env.ALLOW_UPGRADES === "0")
    options.allowUpgrades = false;
if (envInt("MAX_PAYLOAD") !== undefined)
    options.maxHttpBufferSize = envInt("MAX_PAYLOAD");
if (process.env.REJECT_WEBSOCKET === "handshake") {
    // engine.io asks allowRequest only for requests without a sid: the upgrade probe still gets through.
    options.allowRequest = (req, callback) => callback("websocket refused", req._query.transport !== "websocket");
}
const io = new Server(httpServer, options);

function refuseUpgrade(socket) {
    socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
}
if (process.env.REJECT_WEBSOCKET === "all") {
    // Every WebSocket request is answered 400 (the session handshake and the upgrade probe alike), while
    // the open packet still offers the upgrade: the client must stay on polling.
    io.engine.handleUpgrade = (req, socket) => refuseUpgrade(socket);
}
if (process.env.REPORT_REQUESTS === "1") {
    const websocketAllowed = io.engine.opts.transports.includes("websocket");
    httpServer.on("upgrade", (req, socket) => {
        const sid = new URL(req.url, "http://localhost").searchParams.get("sid");
        report({ event: "websocket-request", sid });
        // Without websocket in its transports, engine.io has no upgrade listener: answer as it would a
        // plain GET for an unknown transport, instead of leaving the socket hanging.
        if (!websocketAllowed)
            refuseUpgrade(socket);
    });
}

io.use((socket, next) => {
    if (socket.handshake.auth?.token === token)
        return next();
    report({ event: "auth-rejected" });
    next(new Error("Invalid token")); // socket.io answers 44{"message":"Invalid token"}
});

// Redacts the token but keeps everything else the client put in CONNECT (pid, offset), so the test can
// check what a reconnecting client sends.
function visibleAuth(auth) {
    const shown = { ...auth };
    if ("token" in shown)
        shown.token = "<redacted>";
    return shown;
}

io.on("connection", (socket) => {
    const { tenantId, conversationId } = socket.handshake.query;
    socket.join(`${tenantId}:${conversationId}`);
    report({
        event: "connection",
        tenantId,
        conversationId,
        recovered: socket.recovered,
        auth: visibleAuth(socket.handshake.auth),
        transport: socket.conn.transport.name,
    });
    socket.conn.on("upgrade", () => report({ event: "upgrade", transport: socket.conn.transport.name }));
    // What the client sends after CONNECT, at the Engine.IO level. A CONNECT (which carries the token)
    // was received before this listener exists; a later one (another namespace) is still not printed.
    socket.conn.on("packet", (packet) => {
        if (packet.type === "pong")
            report({ event: "pong" });
        else if (packet.type !== "message" || !String(packet.data).startsWith("0"))
            report({ event: "client-packet", type: packet.type, data: packet.data });
    });
    socket.on("disconnect", (reason) => report({ event: "disconnect", reason }));
});

function roomOf(command) {
    return command.room ?? "t1:c1";
}

function statusPayload(command) {
    const payload = { messageId: command.messageId, status: command.status, timestamp: new Date().toISOString() };
    if (command.error)
        payload.error = { message: command.error };
    return payload;
}

// Every frame here is one the contract says to drop (CONTRACT.md §2, last bullet); each goes out as its
// own WebSocket text frame, in order, on the same connection as the valid event that follows.
function sendGarbage(socket) {
    const ws = socket.conn.transport.socket; // the `ws` WebSocket: bypasses Engine.IO encoding entirely
    ws.send(""); // empty frame
    ws.send("9nonsense"); // unknown Engine.IO packet type
    socket.conn.write("2[broken"); // Engine.IO message, Socket.IO EVENT with invalid JSON
    socket.conn.write("2{\"not\":\"an array\"}"); // EVENT whose payload is not an array
    socket.conn.write("2[42]"); // EVENT whose name is not a string
    socket.conn.write("9"); // unknown Socket.IO packet type
    socket.conn.write("2/admin,[\"status_update\",{\"messageId\":\"leak-admin\",\"status\":\"read\"}]");
    socket.emit("status_update", { messageId: "leak-bad-status", status: "exploded" });
    socket.emit("status_update", "not an object");
    socket.emit("something_else", 1);
}

// What socket.io may legitimately send that the console has no use for: a binary event (its attachment
// follows as a binary message), an event asking for an ack, a stray ACK, a BINARY_ACK, and packets of
// another namespace, one of them binary and one a DISCONNECT. Works on both transports.
function sendExtras(socket) {
    socket.emit("binary_event", Buffer.from([1, 2, 3]));
    socket.emit("wants_ack", "x", () => {});
    socket.conn.write("37[\"stray ack\"]");
    socket.conn.write("61-8[{\"_placeholder\":true,\"num\":0}]");
    socket.conn.write(Buffer.from("41", "latin1")); // attachment bytes that look like a text packet
    socket.conn.write("2/admin,[\"status_update\",{\"messageId\":\"leak-admin\",\"status\":\"read\"}]");
    socket.conn.write("52-/admin,[\"x\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
    socket.conn.write(Buffer.from([0]));
    socket.conn.write(Buffer.from([0xff, 0xfe]));
    socket.conn.write("1/admin,");
}

function forEachSocket(callback) {
    for (const socket of io.of("/").sockets.values())
        callback(socket);
}

// Emits `count` status updates `intervalMs` apart, ids `<prefix>-<n>`, and destroys every client's TCP
// connection in the tick before update `dropAt`: the drop happens while the server is emitting, a whole
// interval before the next update, so "who is in the room" is settled when each one goes out. Each update
// is reported with the number of sockets in the room at that moment (0 = only recovery can deliver it).
function stream(c) {
    const room = roomOf(c);
    let n = 0;
    let dropped = false;
    const timer = setInterval(() => {
        if (n === c.dropAt && !dropped) {
            dropped = true;
            const transports = [];
            forEachSocket((socket) => {
                transports.push(socket.conn.transport.name);
                const ws = socket.conn.transport.socket; // absent on HTTP long-polling: close the session instead
                if (ws)
                    ws.terminate();
                else
                    socket.conn.close();
            });
            report({ event: "stream-dropped", transports });
            return;
        }
        const messageId = `${c.prefix ?? "stream"}-${n}`;
        const listeners = io.of("/").adapter.rooms.get(room)?.size ?? 0;
        io.to(room).emit("status_update", statusPayload({ messageId, status: "delivered" }));
        report({ event: "streamed", messageId, listeners });
        if (++n >= c.count) {
            clearInterval(timer);
            report({ event: "stream-done" });
        }
    }, c.intervalMs ?? 100);
}

const commands = {
    status: (c) => io.to(roomOf(c)).emit("status_update", statusPayload(c)),
    inbound: (c) =>
        io.to(roomOf(c)).emit("inbound_message", {
            messageId: c.messageId,
            text: c.text,
            mediaUrl: c.mediaUrl ?? null,
            timestamp: new Date().toISOString(),
        }),
    // Socket.IO DISCONNECT (41), then the Engine.IO connection is closed.
    disconnect: () => forEachSocket((socket) => socket.disconnect(true)),
    // A lost transport, not a 41. "close": a WebSocket close frame; "terminate": the TCP connection is
    // destroyed without one, as when a NAT or a proxy drops it.
    // "close-packet": an Engine.IO close packet `1` on a WebSocket (on polling, "close" sends one).
    drop: (c) =>
        forEachSocket((socket) => {
            if (c.how === "terminate")
                socket.conn.transport.socket.terminate();
            else if (c.how === "close-packet")
                socket.conn.transport.socket.send("1");
            else
                socket.conn.close();
        }),
    extras: () => forEachSocket(sendExtras),
    garbage: () => forEachSocket(sendGarbage),
    stream,
    // Nobody is connected to /admin, so socket.io itself sends nothing; sendGarbage covers a frame that
    // does reach the client under another namespace.
    "other-namespace": (c) => io.of("/admin").emit("status_update", statusPayload(c)),
};

readline.createInterface({ input: process.stdin }).on("line", (line) => {
    let command;
    try {
        command = JSON.parse(line);
    } catch (error) {
        report({ event: "bad-command", error: String(error) });
        return;
    }
    const run = commands[command.cmd];
    if (!run) {
        report({ event: "bad-command", error: `unknown cmd ${command.cmd}` });
        return;
    }
    run(command);
    report({ event: "done", cmd: command.cmd }); // lets the test order its next step after this one
});

// The test closes stdin (or dies): exit instead of lingering as an orphan holding a port.
process.stdin.on("end", () => process.exit(0));

httpServer.listen(0, "127.0.0.1", () => report({ port: httpServer.address().port }));
