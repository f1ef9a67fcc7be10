// MessageDelegate: the words of a bubble, for painting, tooltips and screen readers. Geometry and
// painting are in messagedelegate.cpp.
#include "messagedelegate.h"

#include "bubblestyle.h"
#include "mediabubble.h"
#include "messagelistmodel.h"

using namespace BubbleStyle;

bool MessageDelegate::isOpenableLink(const QString &url)
{
    const QUrl parsed(url, QUrl::StrictMode);
    return parsed.isValid() && !parsed.host().isEmpty() && (parsed.scheme() == u"https" || parsed.scheme() == u"http");
}

QString MessageDelegate::displayedText(const QModelIndex &index)
{
    return index.data(MessageListModel::TextRole).toString();
}

QString MessageDelegate::stateText(const QModelIndex &index)
{
    if (index.data(MessageListModel::DirectionRole).toInt() != int(Direction::Outbound))
        return QString();
    const auto status = MessageStatus(index.data(MessageListModel::StatusRole).toInt());
    if (index.data(MessageListModel::QueuedRole).toBool() && status == MessageStatus::Pending)
        return tr("Queued — waiting for an earlier reply");
    if (const double progress = index.data(MessageListModel::UploadProgressRole).toDouble(); progress >= 0)
        return tr("Uploading, %1 %").arg(qRound(progress * 100));
    switch (status) {
    case MessageStatus::Pending:
        return tr("Pending");
    case MessageStatus::Sent:
        return tr("Sent");
    case MessageStatus::Delivered:
        return tr("Delivered");
    case MessageStatus::Read:
        return tr("Read");
    case MessageStatus::Failed:
        return tr("Failed: %1").arg(errorText(index));
    case MessageStatus::None:
        break;
    }
    return QString();
}

QString MessageDelegate::accessibleName(const QModelIndex &index)
{
    const Attachment attachment = index.data(MessageListModel::AttachmentRole).value<Attachment>();
    const QString text = displayedText(index);
    if (attachment.isEmpty())
        return text;
    const QString spoken = MediaBubble::spokenText(attachment);
    return text.isEmpty() ? spoken : tr("%1: %2").arg(spoken, text);
}

QString MessageDelegate::accessibleText(const QModelIndex &index)
{
    const bool outbound = index.data(MessageListModel::DirectionRole).toInt() == int(Direction::Outbound);
    const QString name = accessibleName(index);
    QStringList parts {outbound ? tr("You: %1").arg(name) : tr("Customer: %1").arg(name)};
    const QString url = index.data(MessageListModel::AttachmentRole).value<Attachment>().isEmpty()
        ? index.data(MessageListModel::MediaUrlRole).toString()
        : QString();
    if (!url.isEmpty())
        parts << tr("attachment %1").arg(url);
    parts << timeText(index);
    const QString state = stateText(index);
    if (!state.isEmpty())
        parts << state;
    return parts.join(QLatin1String(", "));
}
