// The console's decoders as they were before they read JSON straight into their types: each parsed the
// text with QJsonDocument and then picked fields out of the QJsonValue tree. Kept here only as the oracle
// of fuzz_decoder, which checks that the new decoders accept, refuse and produce exactly what these did.
#pragma once

#include "protocol.h"
#include "wirejson.h"

namespace OldDecoder {

std::optional<Protocol::EnginePacket> decodeEnginePacket(QStringView frame, QString *error = nullptr);
std::optional<Protocol::OpenHandshake> decodeOpen(QStringView json, QString *error = nullptr);
// Protocol::decodeSocketPacket() and what SocketIoClient then took from the packet.
std::optional<Wire::ServerPacket> decodeServerPacket(QStringView payload);

std::optional<Wire::ConversationContext> parseContext(const QByteArray &body);
std::optional<Wire::HistoryPage> parseHistory(const QByteArray &body, QString *error);
std::optional<QString> parseSendReply(const QByteArray &body, std::optional<QString> *refusal);
Wire::ApiError errorFromReply(int httpStatus, const QByteArray &body);

} // namespace OldDecoder
