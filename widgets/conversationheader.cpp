#include "conversationheader.h"

#include "consolecolours.h"

#include <QClipboard>
#include <QEvent>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QTimer>
#include <QToolButton>

namespace {
constexpr int copiedVisibleMs = 1500; // long enough to read "Copied", then the number again
}

ConversationHeader::ConversationHeader(QWidget *parent)
    : QWidget(parent)
    , m_name(new QLabel(this))
    , m_phone(new QToolButton(this))
    , m_integration(new QLabel(this))
    , m_connection(new QLabel(this))
    , m_copiedTimer(new QTimer(this))
{
    setObjectName(QStringLiteral("conversationHeader"));
    for (QLabel *label : {m_name, m_integration, m_connection})
        label->setTextFormat(Qt::PlainText); // names come from the backend: shown, never interpreted
    m_name->setAccessibleName(tr("Customer"));
    m_integration->setAccessibleName(tr("Integration"));
    m_connection->setAccessibleName(tr("Live connection"));
    m_phone->setAutoRaise(true);
    m_phone->setCursor(Qt::PointingHandCursor);
    m_phone->setToolTip(tr("Copy the phone number"));
    m_phone->setAccessibleDescription(tr("Copies the customer's phone number to the clipboard"));
    m_phone->hide();
    m_copiedTimer->setSingleShot(true);
    m_copiedTimer->setInterval(copiedVisibleMs);
    connect(m_copiedTimer, &QTimer::timeout, this, [this] { showPhone(m_phoneText); });
    connect(m_phone, &QToolButton::clicked, this, &ConversationHeader::copyPhone);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(12, 6, 12, 6);
    layout->setSpacing(10);
    layout->addWidget(m_name);
    layout->addWidget(m_phone);
    layout->addWidget(m_integration);
    layout->addStretch(1);
    layout->addWidget(m_connection);
    setAccessibleName(tr("Conversation header"));
    setAccessibleDescription(tr("The customer's name and phone number, the integration and the connection"));
    applyLook();
    setConnection(Connection::Connecting);
}

void ConversationHeader::setCustomer(const QString &name, const QString &phone, const QString &integration)
{
    m_name->setText(name);
    m_phoneText = phone;
    m_copiedTimer->stop();
    showPhone(phone);
    m_phone->setVisible(!phone.isEmpty());
    m_integration->setText(integration.isEmpty() ? QString() : tr("via %1").arg(integration));
    m_integration->setVisible(!integration.isEmpty());
}

void ConversationHeader::showPhone(const QString &text)
{
    // A number reads left to right in every language: isolated as such, or an Arabic window would draw
    // "+49 155 4591568" as "4591568 155 49+".
    m_phone->setText(!text.isEmpty() && text == m_phoneText ? u'\u2066' + text + u'\u2069' : text);
    // Read out as what it is and what a click does; the number itself is the button's text.
    if (text.isEmpty())
        m_phone->setAccessibleName(tr("Copy the phone number"));
    else
        m_phone->setAccessibleName(text == m_phoneText ? tr("Phone %1, copy").arg(text) : text);
}

void ConversationHeader::copyPhone()
{
    if (m_phoneText.isEmpty())
        return;
    // The number without the space after the country code: what a dialler or a CRM search takes.
    const QString digits = QString(m_phoneText).remove(u' ');
    QGuiApplication::clipboard()->setText(digits);
    showPhone(tr("Copied"));
    m_copiedTimer->start();
    emit phoneCopied(digits);
}

void ConversationHeader::setConnection(Connection connection)
{
    m_state = connection;
    switch (connection) {
    case Connection::Connecting:
        m_connection->setText(tr("● Connecting"));
        break;
    case Connection::Connected:
        m_connection->setText(tr("● Live"));
        break;
    case Connection::Reconnecting:
        m_connection->setText(tr("● Reconnecting"));
        break;
    case Connection::Offline:
        m_connection->setText(tr("● Offline"));
        break;
    }
    applyLook();
}

QString ConversationHeader::name() const
{
    return m_name->text();
}

QString ConversationHeader::integration() const
{
    return m_integration->text();
}

QString ConversationHeader::connectionText() const
{
    return m_connection->text();
}

void ConversationHeader::applyLook()
{
    QFont bold = font();
    bold.setBold(true);
    m_name->setFont(bold);
    using Tone = ConsoleColours::Tone;
    const Tone::Kind kind = m_state == Connection::Connected ? Tone::Positive
        : m_state == Connection::Offline                     ? Tone::Negative
        : m_state == Connection::Reconnecting                ? Tone::Warning
                                                             : Tone::Neutral;
    QPalette state = m_connection->palette();
    state.setColor(QPalette::WindowText,
        ConsoleColours::withContrast(Tone::fromPalette(kind, palette()).text, palette().color(QPalette::Window)));
    m_connection->setPalette(state);
    QPalette quiet = m_integration->palette();
    quiet.setColor(QPalette::WindowText,
        ConsoleColours::withContrast(palette().color(QPalette::PlaceholderText), palette().color(QPalette::Window)));
    m_integration->setPalette(quiet);
    update();
}

void ConversationHeader::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange
        || event->type() == QEvent::FontChange)
        applyLook();
}

void ConversationHeader::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().color(QPalette::Window));
    painter.fillRect(QRect(0, height() - 1, width(), 1), palette().color(QPalette::Mid));
}
