// The figures of the conversation view alone: status events and scrolling.
#include "benchsupport.h"
#include "figures.h"

#include "conversationview.h"
#include "messagedelegate.h"
#include "messagelistmodel.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QImage>
#include <QImageReader>
#include <QPainter>
#include <QScrollBar>
#include <QTemporaryDir>

using namespace Bench;

namespace {
// The conversation with every reply still pending, so each one can take three status events.
QList<Message> awaitingReceipts(int count)
{
    QList<Message> messages = mixedConversation(count);
    for (Message &m : messages) {
        if (m.direction == Direction::Outbound) {
            m.status = MessageStatus::Pending;
            m.error.clear();
        }
    }
    return messages;
}

// From the newest message up to the oldest, a page at a time, as an agent reads back through a
// conversation: QScrollBar::setValue() + a synchronous repaint per frame.
ScrollFigures scrollToTop(ConversationView &view)
{
    QScrollBar *bar = view.verticalScrollBar();
    const int step = bar->pageStep();
    QList<double> frames;
    QList<double> cpu; // this thread's CPU time: the frame's own work, without the machine's other load
    frames.reserve(bar->maximum() / std::max(1, step) + 1);
    cpu.reserve(frames.capacity());
    for (int value = bar->maximum(); value > bar->minimum();) {
        value = std::max(bar->minimum(), value - step);
        const double cpuBefore = threadCpuMs();
        QElapsedTimer timer;
        timer.start();
        bar->setValue(value);
        view.viewport()->repaint();
        frames.append(double(timer.nsecsElapsed()) / 1e6);
        cpu.append(threadCpuMs() - cpuBefore);
        QCoreApplication::processEvents(); // whatever else the scroll posted, outside the frame
    }
    const auto max = [](const QList<double> &v) { return v.isEmpty() ? 0 : *std::max_element(v.cbegin(), v.cend()); };
    return ScrollFigures {percentile(frames, 0.5), percentile(frames, 0.99), max(frames), percentile(cpu, 0.99),
        max(cpu), int(frames.size())};
}

// Phone photos of a few kinds (landscape, portrait, square), JPEG as phones take them.
QStringList writePhotos(const QString &folder)
{
    const QList<QSize> sizes {QSize(1600, 1200), QSize(1200, 1600), QSize(1280, 1280), QSize(1920, 1080)};
    QStringList paths;
    for (int i = 0; i < 8; ++i) {
        QImage photo(sizes[i % sizes.size()], QImage::Format_RGB32);
        QPainter painter(&photo);
        for (int band = 0; band < 16; ++band) {
            painter.fillRect(QRect(0, band * photo.height() / 16, photo.width(), photo.height() / 16 + 1),
                QColor::fromHsv((i * 40 + band * 13) % 360, 120, 90 + band * 9));
        }
        painter.setPen(QPen(Qt::white, 12));
        painter.drawEllipse(photo.rect().adjusted(200, 200, -200, -200));
        painter.end();
        paths.append(folder + QStringLiteral("/photo-%1.jpg").arg(i));
        photo.save(paths.last(), "JPEG", 85);
    }
    return paths;
}
} // namespace

StatusFigures measureStatusUpdates(int count)
{
    MessageListModel model;
    model.prepend(awaitingReceipts(count));
    ConversationView view;
    view.resize(480, 800);
    view.setModel(&model);
    view.show();
    // Every row measured first: the figure is the steady-state cost of one event.
    waitUntilMeasured(&view, 120000);
    MessageDelegate *delegate = view.messageDelegate();

    // The same number of rows at both sizes: spread evenly over the conversation, and the last screen's
    // outbound rows, which are visible and get repainted.
    QList<int> outbound;
    for (int r = 0; r < count; ++r) {
        if (model.at(r).direction == Direction::Outbound)
            outbound.append(r);
    }
    const qsizetype spread
        = std::min<qsizetype>(StatusSampledRows - StatusSampledOnScreen, outbound.size() - StatusSampledOnScreen);
    QList<int> rows;
    for (qsizetype i = 0; i < spread; ++i)
        rows.append(outbound[i * (outbound.size() - StatusSampledOnScreen) / spread]);
    rows.append(outbound.mid(outbound.size() - StatusSampledOnScreen));
    QList<double> samples;
    int otherRowCalls = 0;
    int updates = 0;
    for (StatusEvent event : {StatusEvent::ServerSent, StatusEvent::ServerDelivered, StatusEvent::ServerRead}) {
        delegate->resetSizeHintCounter();
        for (int row : std::as_const(rows)) {
            const QString id = model.at(row).id;
            QElapsedTimer timer;
            timer.start();
            model.applyEvent(id, event);
            samples.append(double(timer.nsecsElapsed()) / 1000.0);
            ++updates;
        }
        QCoreApplication::processEvents(); // let the view repaint what the updates asked for
        for (int row : delegate->sizeHintRowsSinceReset()) {
            if (!rows.contains(row))
                ++otherRowCalls;
        }
    }
    return StatusFigures {percentile(samples, 0.5), double(otherRowCalls) / updates};
}

ScrollFigures measureScroll100k()
{
    MessageListModel model;
    model.prepend(mixedConversation(100000, QStringLiteral("scroll_")));
    ConversationView view;
    view.resize(520, 640);
    view.setModel(&model);
    view.show();
    waitUntilMeasured(&view, 120000);
    return scrollToTop(view);
}

ImageScrollFigures measureScrollImages(int count)
{
    QTemporaryDir folder;
    const QStringList photos = writePhotos(folder.path());
    QList<Message> messages;
    messages.reserve(count);
    const QDateTime start = QDateTime::currentDateTimeUtc().addSecs(-count * 60);
    for (int i = 0; i < count; ++i) {
        Message m;
        m.id = QStringLiteral("img_%1").arg(i);
        m.direction = i % 3 == 0 ? Direction::Outbound : Direction::Inbound;
        m.status = m.direction == Direction::Outbound ? MessageStatus::Read : MessageStatus::None;
        m.timestamp = start.addSecs(i * 60);
        if (i % 4 == 0)
            m.text = QStringLiteral("Here is the picture of it, number %1.").arg(i);
        const QString path = photos[i % photos.size()];
        const QSize header = QImageReader(path).size(); // as the message carries them (CONTRACT.md §5)
        // Every message its own picture to decode (its own cache key), from one of the photos on disk.
        m.attachment = Attachment {QStringLiteral("photo-%1.jpg").arg(i), QStringLiteral("image/jpeg"),
            QFileInfo(path).size(), header.width(), header.height(), path};
        messages.append(m);
    }
    const qint64 before = residentBytes();
    MessageListModel model;
    model.prepend(messages);
    ConversationView view;
    view.resize(520, 640);
    view.setModel(&model);
    view.show();
    waitUntilMeasured(&view, 120000);
    ImageScrollFigures figures;
    figures.scroll = scrollToTop(view);
    ThumbnailCache *cache = view.messageDelegate()->thumbnails();
    // The decodes the last frames started, finished: the cache as it is after a read-back.
    QElapsedTimer settle;
    settle.start();
    while (settle.elapsed() < 10000 && cache->state(model.at(0).id) == ThumbnailCache::State::Loading)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    figures.cacheMb = double(cache->bytes()) / (1024.0 * 1024.0);
    figures.cacheLimitMb = double(cache->limitBytes()) / (1024.0 * 1024.0);
    figures.rssDeltaMb = double(residentBytes() - before) / (1024.0 * 1024.0);
    return figures;
}
