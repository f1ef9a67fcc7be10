#include "trayicon.h"

#include <QAction>
#include <QFile>
#include <QGuiApplication>
#include <QMenu>
#include <QPainter>
#include <QPainterPath>
#include <QSystemTrayIcon>
#include <QWidget>

static const QString AppIconResource = QStringLiteral(":/icons/agent-console.svg");

// Badge colours: an unread count in blue, failed replies in the console's failure red.
static const QColor UnreadColor(0x1a, 0x73, 0xe8);
static const QColor FailedColor(0xd9, 0x30, 0x25);

TrayIcon::TrayIcon(QWidget *window, QObject *parent)
    : QObject(parent)
    , m_window(window)
    , m_tray(new QSystemTrayIcon(this))
    , m_menu(std::make_unique<QMenu>())
    , m_appIcon(appIcon())
{
    QAction *showAction = m_menu->addAction(tr("&Show Agent Console"), this, &TrayIcon::showWindow);
    showAction->setObjectName(QStringLiteral("trayShowAction"));
    m_menu->addSeparator();
    QAction *quitAction = m_menu->addAction(tr("&Quit"), this, &TrayIcon::quitRequested);
    quitAction->setObjectName(QStringLiteral("trayQuitAction"));
    m_tray->setContextMenu(m_menu.get());
    connect(m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick)
            showWindow();
    });
    refresh();
}

TrayIcon::~TrayIcon()
{
    m_tray->setContextMenu(nullptr);
}

QIcon TrayIcon::appIcon()
{
    if (QFile::exists(AppIconResource))
        return QIcon(AppIconResource);
    const QIcon themed = QIcon::fromTheme(QStringLiteral("agent-console"));
    if (!themed.isNull())
        return themed;
    // Drawn: a blue rounded square with a white speech bubble, at the sizes trays ask for.
    QIcon drawn;
    for (const int size : {16, 22, 24, 32, 48, 64, 128}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter p(&pixmap);
        p.setRenderHint(QPainter::Antialiasing);
        const qreal s = size;
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(0x2b, 0x5b, 0x84));
        p.drawRoundedRect(QRectF(0, 0, s, s), s * 0.22, s * 0.22);
        QPainterPath bubble;
        bubble.addRoundedRect(QRectF(s * 0.18, s * 0.22, s * 0.64, s * 0.42), s * 0.12, s * 0.12);
        QPolygonF tail;
        tail << QPointF(s * 0.30, s * 0.60) << QPointF(s * 0.26, s * 0.80) << QPointF(s * 0.46, s * 0.62);
        bubble.addPolygon(tail);
        p.setBrush(Qt::white);
        p.drawPath(bubble.simplified());
        drawn.addPixmap(pixmap);
    }
    return drawn;
}

QString TrayIcon::toolTip() const
{
    QStringList parts;
    if (m_unread > 0)
        parts << tr("%n unread", nullptr, m_unread);
    if (m_unsent > 0)
        parts << tr("%n not sent", nullptr, m_unsent);
    const QString name = tr("Agent Console");
    return parts.isEmpty() ? name : tr("%1 — %2").arg(name, parts.join(QStringLiteral(", ")));
}

QPixmap TrayIcon::pixmap(int size, qreal devicePixelRatio) const
{
    const int device = qRound(size * devicePixelRatio);
    QPixmap pixmap = m_appIcon.pixmap(QSize(device, device));
    if (pixmap.size() != QSize(device, device))
        pixmap = pixmap.scaled(device, device, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    if (pixmap.isNull()) {
        pixmap = QPixmap(device, device);
        pixmap.fill(Qt::transparent);
    }
    pixmap.setDevicePixelRatio(devicePixelRatio);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    const qreal s = size;
    const QPen ring(Qt::white, qMax(1.0, s / 24));
    if (m_unsent > 0) {
        // Bottom left, so it never hides under the unread count.
        const QRectF mark(0.5, s * 0.52, s * 0.46, s * 0.46);
        p.setPen(ring);
        p.setBrush(FailedColor);
        p.drawEllipse(mark);
        p.setPen(Qt::white);
        QFont font = p.font();
        font.setBold(true);
        font.setPixelSize(qMax(6, qRound(s * 0.36)));
        p.setFont(font);
        p.drawText(mark, Qt::AlignCenter, QStringLiteral("!"));
    }
    if (m_unread > 0) {
        const QString text = m_unread > 99 ? QStringLiteral("99+") : QString::number(m_unread);
        QFont font = p.font();
        font.setBold(true);
        font.setPixelSize(qMax(6, qRound(s * 0.34)));
        p.setFont(font);
        const qreal height = s * 0.52;
        const qreal width = qMin(s, qMax(height, QFontMetricsF(font).horizontalAdvance(text) + s * 0.16));
        const QRectF badge(s - width - 0.5, 0.5, width, height);
        p.setPen(ring);
        p.setBrush(UnreadColor);
        p.drawRoundedRect(badge, height / 2, height / 2);
        p.setPen(Qt::white);
        p.drawText(badge, Qt::AlignCenter, text);
    }
    p.end();
    return pixmap;
}

QIcon TrayIcon::icon() const
{
    QIcon icon;
    for (const int size : {16, 22, 24, 32, 48, 64})
        icon.addPixmap(pixmap(size));
    return icon;
}

bool TrayIcon::show()
{
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return false;
    m_tray->show();
    return true;
}

void TrayIcon::setUnreadCount(int count)
{
    count = qMax(0, count);
    if (count == m_unread)
        return;
    m_unread = count;
    refresh();
}

void TrayIcon::setUnsentCount(int count)
{
    count = qMax(0, count);
    if (count == m_unsent)
        return;
    m_unsent = count;
    refresh();
}

void TrayIcon::showWindow()
{
    if (!m_window)
        return;
    if (m_window->isMinimized())
        m_window->showNormal();
    else
        m_window->show();
    m_window->raise();
    m_window->activateWindow();
}

void TrayIcon::refresh()
{
    m_tray->setIcon(icon());
    // Tooltips may be rich text on some platforms; this one is built from numbers and fixed words only.
    m_tray->setToolTip(toolTip());
}
