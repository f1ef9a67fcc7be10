// CONTRACT.md §5 (upload and media) as a Node backend would write it with express and multer, pinned in
// package.json: the console's uploads and media downloads against a server that is not ours.
// Prints {"port": N} once listening, then one JSON line per request it answers, for the test to check:
// {"event": "upload", "status": 200, "key": ..., "stored": true|false, "auth": bool, "tokenInUrl": bool}
// {"event": "media", "status": 200, "auth": bool, "tokenInUrl": bool}
// Environment: TOKEN (accepted Bearer token), TENANT, MAX_UPLOAD_BYTES (default 16 MiB).
'use strict';

const crypto = require('crypto');
const express = require('express');
const multer = require('multer');

const token = process.env.TOKEN || 'secret';
const tenant = process.env.TENANT || 't1';
const maxBytes = Number(process.env.MAX_UPLOAD_BYTES || 16 * 1024 * 1024);
const allowed = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf', 'text/plain', 'audio/ogg',
    'audio/mpeg', 'video/mp4'];

const media = new Map(); // id -> {bytes, mimeType, fileName}
const answers = new Map(); // Idempotency-Key -> the answer given
const app = express();

function say(line) {
    process.stdout.write(JSON.stringify(line) + '\n');
}
function error(res, status, code, message) {
    res.status(status).json({error: {code, message}});
}
function observed(req) {
    return {auth: req.get('authorization') === `Bearer ${token}` && req.get('x-tenant-id') === tenant,
        tokenInUrl: req.originalUrl.includes(token)};
}

// The bytes decide the type, not the name or the part's header (a renamed .exe is not a PNG).
function sniff(bytes) {
    const starts = (sig, at = 0) => bytes.length >= at + sig.length && bytes.subarray(at, at + sig.length).equals(Buffer.from(sig));
    if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
        return {type: 'image/png', width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20)};
    if (starts([0xff, 0xd8, 0xff]))
        return {type: 'image/jpeg'};
    if (starts('RIFF') && starts('WEBP', 8))
        return {type: 'image/webp'};
    if (starts('%PDF-'))
        return {type: 'application/pdf'};
    return {type: null};
}

app.use((req, res, next) => {
    if (req.get('authorization') !== `Bearer ${token}` || req.get('x-tenant-id') !== tenant)
        return error(res, 401, 'UNAUTHORIZED', 'Invalid token');
    next();
});

const files = multer({storage: multer.memoryStorage(), limits: {fileSize: maxBytes, files: 1}});

app.post('/api/v1/widget/upload', (req, res, next) => {
    // From the request head, before the body is read.
    if (Number(req.get('content-length') || 0) > maxBytes) {
        say({event: 'upload', status: 413, ...observed(req)});
        res.set('Connection', 'close');
        return error(res, 413, 'MEDIA_TOO_LARGE', `The file is larger than ${maxBytes} bytes.`);
    }
    next();
}, files.single('file'), (req, res) => {
    const key = req.get('idempotency-key');
    if (!key || !req.file || !req.query.conversationId) {
        say({event: 'upload', status: 400, ...observed(req)});
        return error(res, 400, 'MISSING_FIELD', 'file, conversationId and Idempotency-Key are required');
    }
    if (answers.has(key)) {
        say({event: 'upload', status: 200, key, stored: false, ...observed(req)});
        return res.json(answers.get(key));
    }
    const found = sniff(req.file.buffer);
    if (!found.type || !allowed.includes(found.type) || found.type !== req.file.mimetype) {
        say({event: 'upload', status: 415, key, ...observed(req)});
        return error(res, 415, 'MEDIA_TYPE_NOT_ALLOWED', `${req.file.mimetype} is not allowed`);
    }
    const id = crypto.createHash('sha256').update(`${tenant}\n${req.query.conversationId}\n${key}`).digest('hex');
    media.set(id, {bytes: req.file.buffer, mimeType: found.type, fileName: req.file.originalname});
    const answer = {mediaUrl: `${req.protocol}://${req.get('host')}/api/v1/widget/media/${id}`,
        mimeType: found.type, size: req.file.size, fileName: req.file.originalname};
    if (found.width) {
        answer.width = found.width;
        answer.height = found.height;
    }
    answers.set(key, answer);
    say({event: 'upload', status: 200, key, stored: true, fileName: req.file.originalname, ...observed(req)});
    res.json(answer);
});

app.get('/api/v1/widget/media/:id', (req, res) => {
    const item = media.get(req.params.id);
    say({event: 'media', status: item ? 200 : 404, ...observed(req)});
    if (!item)
        return error(res, 404, 'NOT_FOUND', 'No such media');
    res.set('Content-Type', item.mimeType);
    res.set('X-Content-Type-Options', 'nosniff');
    if (!item.mimeType.startsWith('image/'))
        res.attachment(item.fileName);
    res.send(item.bytes);
});

const server = app.listen(0, '127.0.0.1', () => say({port: server.address().port}));
