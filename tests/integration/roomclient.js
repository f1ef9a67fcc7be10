// One browser-widget-like socket for tst_amqpscaleout: the stock npm socket.io-client (from
// tests/interop/node_modules, found through NODE_PATH) joined to one tenant + conversation room of a
// widget-server instance. Reports what it sees as JSON lines on stdout; reconnects on its own like the
// real widget, and reports each (re)connect.
//
// argv: <server url> <tenantId> <conversationId>; env TOKEN (the auth token it sends).
"use strict";

const { io } = require("socket.io-client");

const [url, tenantId, conversationId] = process.argv.slice(2);

function report(line) {
    process.stdout.write(JSON.stringify(line) + "\n");
}

const socket = io(url, {
    forceNew: true,
    transports: ["websocket"],
    auth: { token: process.env.TOKEN ?? "" },
    query: { tenantId, conversationId },
});
socket.on("connect", () => report({ event: "connect" }));
socket.on("connect_error", (error) => report({ event: "connect_error", message: error.message }));
socket.on("disconnect", (reason) => report({ event: "disconnect", reason }));
for (const name of ["status_update", "inbound_message"])
    socket.on(name, (payload) => report({ event: name, payload }));
process.stdin.on("end", () => process.exit(0)); // the test closed our stdin: it is done with us
process.stdin.resume();
