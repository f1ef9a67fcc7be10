// The stock npm socket.io-client against widget-server, for tst_serverinterop: the client the web widget
// ships. Connects once (no reconnection), reports what it sees as JSON lines on stdout and takes
// commands as JSON lines on stdin.
//
// argv: <server url> <polling|websocket|default> <namespace>; env TOKEN (the auth token it sends).
// stdout lines: {"event":"connect"|"connect_error"|"upgrade"|"status_update"|"inbound_message"|"ack"|...}
"use strict";

const readline = require("node:readline");
const { io } = require("socket.io-client");

const [url, transport, namespace] = process.argv.slice(2);

function report(line) {
    process.stdout.write(JSON.stringify(line) + "\n");
}

const options = {
    forceNew: true,
    reconnection: false,
    auth: { token: process.env.TOKEN ?? "" },
    query: { tenantId: "t1", conversationId: "c1" },
};
// "default" keeps the client's own choice: HTTP long-polling first, then the upgrade to WebSocket.
if (transport !== "default")
    options.transports = [transport];

const socket = io(url + (namespace === "/" ? "" : namespace), options);
const engineTransport = () => socket.io.engine?.transport?.name ?? "";

socket.io.on("open", () => {
    socket.io.engine.on("upgrade", (upgraded) => report({ event: "upgrade", transport: upgraded.name }));
});
socket.on("connect", () => report({ event: "connect", transport: engineTransport() }));
socket.on("connect_error", (error) => report({ event: "connect_error", message: error.message }));
socket.on("disconnect", (reason) => report({ event: "disconnect", reason }));
for (const name of ["status_update", "inbound_message"])
    socket.on(name, (payload) => report({ event: name, payload, transport: engineTransport() }));

readline.createInterface({ input: process.stdin }).on("line", (line) => {
    const command = JSON.parse(line);
    if (command.cmd === "echo") {
        socket.emit("echo", ...command.args, (...reply) => report({ event: "ack", args: reply }));
    } else if (command.cmd === "echoBinary") {
        // A binary event (451-...) out and a binary ack (461-...) back, attachments reassembled by the client.
        socket.emit("echo", Buffer.from(command.bytes), command.text, (bytes, text) =>
            report({ event: "binaryAck", bytes: Array.from(bytes ?? []), isBuffer: Buffer.isBuffer(bytes), text }));
    } else if (command.cmd === "close") {
        socket.close();
        process.exit(0);
    }
});
