// The delivery state of a reply (CONTRACT.md §3) and its wire names: shared by the console and
// widget-server through the protocol library, so both apply one status lattice (statuslattice.h).
#pragma once

#include <QString>

#include <optional>

// Delivery state of an outbound reply (CONTRACT.md §3). Inbound messages carry None.
enum class MessageStatus : quint8 { None, Pending, Sent, Delivered, Read, Failed };

QString statusName(MessageStatus status);
// Parses the wire names "pending", "sent", "delivered", "read", "failed"; anything else is nullopt.
std::optional<MessageStatus> statusFromName(QStringView name);
