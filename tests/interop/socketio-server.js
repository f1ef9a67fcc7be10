// A real Node.js socket.io 4.x backend for tst_nodeinterop: the stack the console's users run today
// (CONTRACT.md §2). Driven by the test through JSON lines: commands on stdin, observations on stdout.
//
// Environment: TOKEN (required), PING_INTERVAL / PING_TIMEOUT (ms), RECOVERY=1 for connection-state recovery.
// stdout: first {"port":N}, then {"event":...} lines. The token is never printed.
"use strict";

const http = require("node:http");
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

const httpServer = http.createServer();
const options = { pingInterval: envInt("PING_INTERVAL"), pingTimeout: envInt("PING_TIMEOUT") };
for (const key of Object.keys(options)) {
    if (options[key] === undefined)
        delete options[key];
}
if (process.env.RECOVERY === "1") {
    // Middlewares run on a recovered session too: a backend must not trust a pid in place of a token.
    options.connectionStateRecovery = { maxDisconnectionDuration: 60000, skipMiddlewares: false };
}
const io = new Server(httpServer, options);

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
    });
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

function forEachSocket(callback) {
    for (const socket of io.of("/").sockets.values())
        callback(socket);
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
    drop: (c) =>
        forEachSocket((socket) => {
            if (c.how === "terminate")
                socket.conn.transport.socket.terminate();
            else
                socket.conn.close();
        }),
    garbage: () => forEachSocket(sendGarbage),
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
