#include "outbox.h"

void Outbox::enqueue(const QString &id)
{
    if (!contains(id))
        m_entries.append({id, State::Waiting});
}

qsizetype Outbox::find(const QString &id) const
{
    for (qsizetype i = 0; i < m_entries.size(); ++i) {
        if (m_entries[i].id == id)
            return i;
    }
    return -1;
}

std::optional<QString> Outbox::takeNextToSend()
{
    if (m_entries.isEmpty() || m_entries.first().state != State::Waiting)
        return std::nullopt;
    m_entries.first().state = State::InFlight;
    return m_entries.first().id;
}

bool Outbox::accepted(const QString &id)
{
    const qsizetype i = find(id);
    if (i < 0)
        return false;
    m_entries.removeAt(i);
    return true;
}

bool Outbox::failed(const QString &id)
{
    const qsizetype i = find(id);
    if (i < 0 || m_entries[i].state == State::Failed)
        return false;
    m_entries[i].state = State::Failed;
    return true;
}

bool Outbox::retry(const QString &id)
{
    const qsizetype i = find(id);
    if (i < 0 || m_entries[i].state != State::Failed)
        return false;
    m_entries[i].state = State::Waiting;
    return true;
}

bool Outbox::discard(const QString &id)
{
    const qsizetype i = find(id);
    if (i < 0 || m_entries[i].state == State::InFlight)
        return false;
    m_entries.removeAt(i);
    return true;
}

bool Outbox::isBlocked(const QString &id) const
{
    const qsizetype i = find(id);
    return i > 0;
}
