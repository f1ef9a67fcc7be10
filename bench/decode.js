// Node's side of decode_speedup_vs_node: the frames agent-console-bench sends on stdin (a JSON array of
// strings), decoded `rounds` times the way a socket.io 4.8.4 client does: engine.io-parser's
// decodePacket, JSON of the open packet, socket.io-parser's Decoder for message packets.
// Prints {"nsPerFrame": ..., "frames": ..., "decoded": ...}. Needs `npm ci --prefix bench`.
'use strict';
const { decodePacket } = require('engine.io-parser');
const { Decoder } = require('socket.io-parser');

const rounds = Number(process.argv[2] || 20000);
const frames = JSON.parse(require('fs').readFileSync(0, 'utf8'));

const decoder = new Decoder();
let decoded = 0;
let last = null;
decoder.on('decoded', (packet) => {
    last = packet;
    decoded++;
});

function decodeAll(times) {
    for (let i = 0; i < times; i++) {
        for (const frame of frames) {
            const packet = decodePacket(frame);
            if (packet.type === 'message')
                decoder.add(packet.data);
            else if (packet.type === 'open')
                last = JSON.parse(packet.data), decoded++;
            else if (packet.type === 'ping')
                decoded++;
            else
                throw new Error('unexpected packet ' + packet.type);
        }
    }
}

decodeAll(rounds); // warm-up: let the JIT compile the decoders
decoded = 0;
const start = process.hrtime.bigint();
decodeAll(rounds);
const ns = Number(process.hrtime.bigint() - start);
const total = rounds * frames.length;
if (last === null)
    throw new Error('nothing decoded');
process.stdout.write(JSON.stringify({ nsPerFrame: ns / total, frames: total, decoded }) + '\n');
