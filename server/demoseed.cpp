#include "demoseed.h"

#include "widgetserver.h"

#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QTimer>

#include <iterator>

namespace {

struct Line
{
    bool inbound;
    const char *text;
    const char *photo = nullptr; // a JPEG among the server's resources, sent with the text
};

// Oldest first. Outbound statuses are derived from the position (see seedDemoConversation).
constexpr Line Script[] = {
    {true, "Hi, I ordered a pair of running shoes last Monday and they still haven't arrived."},
    {false, "Hello Maria, thanks for reaching out! I'm sorry about the wait. Could you send me your order number?"},
    {true, "Sure, it's 48213-DE."},
    {false, "Thank you. One moment while I look it up."},
    {false, "I can see the parcel left our warehouse on Tuesday, but the carrier hasn't scanned it since Wednesday."},
    {true, "So where is it now?"},
    {false, "It's most likely still at the carrier's regional hub. I've opened a trace request with them."},
    {true, "How long does a trace take?"},
    {false, "Usually 24 to 48 hours. I'll message you here as soon as I hear back."},
    {true, "Ok. I need them for a race on Sunday though."},
    {false,
        "Understood. If the trace isn't back by tomorrow noon, I can ship a replacement pair by express at no cost."},
    {true, "That would be great, thank you!"},
    {true, "Good morning, any news about my parcel?"},
    {false, "Good morning! The carrier answered: the parcel was damaged at the hub and is being returned to us."},
    {true, "Oh no. What happens now?"},
    {false, "I've already created the express replacement. It should reach you tomorrow before 12:00."},
    {false, "Here is the new tracking number: 00340434161094022115."},
    {true, "Perfect, I can see it in the tracking already."},
    {true, "Will I be charged twice now?"},
    {false, "No, the replacement is free of charge. You won't see a second payment."},
    {true, "Thanks. One more thing: I also ordered socks in the same order, were they in the damaged parcel?"},
    {false, "Let me check that for you."},
    {false, "Yes, the socks were in the same parcel. I've added them to the replacement shipment."},
    {true, "Great service, really."},
    {true, "The replacement arrived, but the shoes are half a size too small."},
    {false, "I'm sorry to hear that! Would you like to exchange them for a size up, or get a refund?"},
    {true, "A refund please, I'll buy them in the store so I can try them on."},
    {false, "No problem. I've created a free return label for you, you'll get it by email in a few minutes."},
    {true, "Got the label. Do I need the original box?"},
    {false, "The original box is preferred, but any sturdy box works fine."},
    {true, "Ok, I dropped the parcel off at the post office just now."},
    {false,
        "Thank you! The refund is issued as soon as the warehouse scans the return, usually within 3 working days."},
    {true, "Will the refund go back to my credit card?"},
    {false, "Yes, it goes back to the card you paid with. Your bank may need 2 to 5 days to show it."},
    {true, "Hi again, the return was scanned yesterday but I don't see the refund yet."},
    {false, "I checked: the refund of 129.90 EUR was issued this morning, reference RF-77120."},
    {true, "Ah, then I'll wait a couple of days. Thanks!"},
    {false, "You're welcome. Is there anything else I can help you with?"},
    {true, "No, that's all. Have a nice day!"},
    {false, "You too, Maria! Good luck with the race on Sunday."},
};

// A customer asking about a wrong item: newest message unanswered, so the conversation waits for the agent.
constexpr Line AnaScript[] = {
    {true, "Oi! I received my order today but the jacket is the wrong colour."},
    {false, "Hi Ana, I'm sorry about that! Which colour did you order, and which one arrived?"},
    {true, "I ordered olive green and got a bright orange one 🙈"},
    {true, "", ":/demo/orange-jacket.jpg"},
    {false, "Thanks. I can send the green one right away and give you a return label for the orange one."},
    {true, "Yes please. Is the return free?"},
    {false, "Completely free. The label is on its way to your email."},
    {true, "Got it, thanks! How long until the green one arrives?"},
};

// A business customer with a question about an invoice, answered and read.
constexpr Line KenjiScript[] = {
    {true, "Good afternoon. Our invoice INV-2291 lists 12 licences, but we only have 10 seats."},
    {false, "Good afternoon Kenji, let me look at your account."},
    {false, "You're right: two licences were added by mistake in October. I've issued a credit note for them."},
    {true, "Thank you. Will the credit note be applied to the next invoice automatically?"},
    {false, "Yes, it will be deducted from the December invoice. Nothing else to do on your side."},
    {true, "Perfect, thanks for the quick help."},
};

struct Customer
{
    const char *suffix;
    const char *name;
    const Line *script;
    int count;
    int minutesAgo; // when the last message was written
};

constexpr Customer MoreCustomers[] = {
    {"-2", "Ana Souza", AnaScript, int(std::size(AnaScript)), 4},
    {"-3", "Kenji Tanaka", KenjiScript, int(std::size(KenjiScript)), 26 * 60},
};

constexpr const char *CustomerLines[] = {
    "Hello? Is anyone there?",
    "Can you check the status of my order?",
    "I just got an email saying my payment failed, what does that mean?",
    "Thanks, that helped a lot!",
    "Could you change the delivery address to my office?",
    "The tracking link doesn't work for me.",
    "Is the blue version back in stock?",
    "I'd like to cancel the second item of my order.",
    "Do you ship to Austria as well?",
    "When will my refund arrive?",
    "Ok 👍",
    "Sorry, one more question about the return label.",
};

} // namespace

void seedDemoConversation(WidgetServer &server, const QString &tenant, const QString &conversation)
{
    server.addConversation(tenant, conversation, QStringLiteral("Maria Schneider"));
    const int count = int(std::size(Script));
    // Spread over the last ~6 hours: about 9 minutes apart, with a deterministic wobble.
    const QDateTime start = QDateTime::currentDateTimeUtc().addSecs(-6 * 3600);
    for (int i = 0; i < count; ++i) {
        const Line &line = Script[i];
        StoredMessage m;
        m.timestamp = start.addSecs(i * 540 + (i * 37) % 120);
        m.id = QStringLiteral("msg_%1_%2")
                   .arg(m.timestamp.toMSecsSinceEpoch())
                   .arg(uint(0x1a2b3c00u + i), 8, 16, QLatin1Char('0'));
        m.inbound = line.inbound;
        m.text = QString::fromUtf8(line.text);
        if (!m.inbound) {
            // The newest replies are still on their way; one older one never reached the customer.
            if (i == count - 1)
                m.status = QStringLiteral("sent");
            else if (i >= count - 3)
                m.status = QStringLiteral("delivered");
            else if (i == 21) {
                m.status = QStringLiteral("failed");
                m.error = QStringLiteral("Not delivered: the customer's phone could not be reached");
            }
            else
                m.status = QStringLiteral("read");
        }
        server.addHistoryMessage(tenant, conversation, m);
    }
    DemoCustomers::of(server)->mark(tenant, conversation);
}

QStringList seedMoreDemoConversations(WidgetServer &server, const QString &tenant, const QString &first)
{
    QStringList ids;
    for (const Customer &customer : MoreCustomers) {
        const QString conversation = first + QString::fromLatin1(customer.suffix);
        server.addConversation(tenant, conversation, QString::fromUtf8(customer.name));
        const QDateTime last = QDateTime::currentDateTimeUtc().addSecs(-60 * customer.minutesAgo);
        for (int i = 0; i < customer.count; ++i) {
            const Line &line = customer.script[i];
            StoredMessage m;
            m.timestamp = last.addSecs(-(customer.count - 1 - i) * 150);
            m.id = QStringLiteral("msg_%1_%2")
                       .arg(m.timestamp.toMSecsSinceEpoch())
                       .arg(uint(0x2c3d4e00u + i) + uint(ids.size()) * 0x100u, 8, 16, QLatin1Char('0'));
            m.inbound = line.inbound;
            m.text = QString::fromUtf8(line.text);
            if (line.photo) {
                QFile photo(QString::fromLatin1(line.photo));
                if (photo.open(QIODevice::ReadOnly))
                    m.mediaUrl = server.addMedia(tenant, conversation, QFileInfo(photo.fileName()).fileName(),
                        QStringLiteral("image/jpeg"), photo.readAll());
            }
            if (!m.inbound)
                m.status = QStringLiteral("read");
            server.addHistoryMessage(tenant, conversation, m);
        }
        ids.append(conversation);
    }
    return ids;
}

QString randomCustomerMessage()
{
    const auto index = QRandomGenerator::global()->bounded(int(std::size(CustomerLines)));
    return QString::fromUtf8(CustomerLines[index]);
}

DemoCustomers::DemoCustomers(WidgetServer *server)
    : QObject(server)
    , m_server(server)
    , m_timer(new QTimer(this))
{
    connect(m_timer, &QTimer::timeout, this, [this] {
        if (m_server->isShuttingDown())
            return m_timer->stop();
        for (const auto &[tenant, conversation] : std::as_const(m_conversations))
            m_server->injectInbound(tenant, conversation, randomCustomerMessage());
    });
}

DemoCustomers *DemoCustomers::of(WidgetServer &server)
{
    if (auto *existing = server.findChild<DemoCustomers *>(QString(), Qt::FindDirectChildrenOnly))
        return existing;
    return new DemoCustomers(&server);
}

void DemoCustomers::mark(const QString &tenant, const QString &conversation)
{
    if (!m_conversations.contains(std::pair(tenant, conversation)))
        m_conversations.append({tenant, conversation});
}

void DemoCustomers::setInterval(int ms)
{
    if (ms > 0)
        m_timer->start(ms);
    else
        m_timer->stop();
}

// Declared in widgetserver.h for the console's --demo; the generator lives here, so the server does not
// depend on its demo.
void WidgetServer::setDemoInboundInterval(int ms)
{
    DemoCustomers::of(*this)->setInterval(ms);
}
