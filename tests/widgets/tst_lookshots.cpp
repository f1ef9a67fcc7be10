// Screenshots of the conversation widgets for the README (light, dark, right-to-left with the Arabic
// catalogue, failed replies with Retry), built here without the main window and saved as PNGs to
// $AGENT_CONSOLE_ARTIFACTS/screenshots/look/; each is also checked for what a machine can see.
#include "composer.h"
#include "connectionbanner.h"
#include "consolecolours.h"
#include "conversationscene.h"
#include "conversationview.h"
#include "failedrepliesbar.h"
#include "lookpalettes.h"
#include "messagedelegate.h"
#include "messagelistmodel.h"
#include "translations.h"

#include <QApplication>
#include <QDir>
#include <QPlainTextEdit>
#include <QTest>
#include <QVBoxLayout>

#include <memory>

namespace {
Message message(const QString &id, Direction direction, const QString &text, QTime time,
    MessageStatus status = MessageStatus::None, const QString &error = QString())
{
    Message m;
    m.id = id;
    m.direction = direction;
    m.text = text;
    m.timestamp = QDateTime(QDate(2026, 11, 23), time);
    m.status = direction == Direction::Outbound && status == MessageStatus::None ? MessageStatus::Sent : status;
    m.error = error;
    return m;
}

// The window an agent sees around one conversation: banner, failed replies, history, composer.
struct Scene : ConversationScene
{
    Scene() { window.resize(480, 720); }
    QRect windowRect(const QString &id, QRect BubbleLayout::*part) const
    {
        const QModelIndex index = model.indexOf(id);
        const QRect r = view->messageDelegate()->layoutFor(view->itemOption(index), index).*part;
        return r.translated(view->viewport()->mapTo(&window, QPoint(0, 0)));
    }
};

void fillEnglish(MessageListModel &m)
{
    using D = Direction;
    using S = MessageStatus;
    m.append(message("in1", D::Inbound, "Hi! I ordered a blender last week and it still hasn't arrived 😕", {9, 41}));
    m.append(message("out1", D::Outbound, "Sorry to hear that! Let me check the tracking for you.", {9, 42}, S::Read));
    m.append(message("in2", D::Inbound, "Order 88213, express shipping.", {9, 43}));
    m.append(message(
        "out2", D::Outbound, "Thanks. It left our warehouse yesterday and arrives tomorrow.", {9, 44}, S::Delivered));
    m.append(message("in3", D::Inbound, "Great, thank you so much!", {9, 46}));
    m.append(message("out3", D::Outbound, "You're welcome. Anything else I can help with?", {9, 47}, S::Sent));
}

double meanLuminance(const QImage &image)
{
    double sum = 0;
    int n = 0;
    for (int y = 0; y < image.height(); y += 4) {
        for (int x = 0; x < image.width(); x += 4, ++n)
            sum += ConsoleColours::luminance(image.pixelColor(x, y));
    }
    return sum / n;
}

int countPixels(const QImage &image, const QRect &rect, bool (*test)(QColor))
{
    int n = 0;
    for (int y = rect.top(); y <= rect.bottom(); ++y) {
        for (int x = rect.left(); x <= rect.right(); ++x)
            n += test(image.pixelColor(x, y)) ? 1 : 0;
    }
    return n;
}

bool isRed(QColor c)
{
    return c.hsvSaturationF() > 0.4 && (c.hsvHue() < 15 || c.hsvHue() > 345) && c.value() > 120;
}

bool isBlue(QColor c)
{
    return c.hsvSaturationF() > 0.4 && c.hsvHue() > 190 && c.hsvHue() < 230;
}
} // namespace

class TestLookShots : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();
    void light();
    void dark();
    void rightToLeft();
    void failedWithRetry();

private:
    QString save(Scene &scene, const QString &name);
    QString m_dir;
};

void TestLookShots::initTestCase()
{
    m_dir = qEnvironmentVariable("AGENT_CONSOLE_ARTIFACTS", QDir::currentPath() + QStringLiteral("/artifacts"))
        + QStringLiteral("/screenshots/look");
    QVERIFY(QDir().mkpath(m_dir));
    installTranslations(*qApp, QLocale(QLocale::English));
}

void TestLookShots::cleanup()
{
    installTranslations(*qApp, QLocale(QLocale::English));
}

QString TestLookShots::save(Scene &scene, const QString &name)
{
    scene.window.show();
    if (!QTest::qWaitForWindowExposed(&scene.window)
        || !QTest::qWaitFor([&scene] { return scene.view->unmeasuredRowCount() == 0; }, 5000))
        return QString();
    scene.window.layout()->activate();
    const QString path = m_dir + u'/' + name;
    return scene.window.grab().save(path) ? path : QString();
}

void TestLookShots::light()
{
    Scene scene;
    scene.window.setPalette(LookPalettes::light());
    fillEnglish(scene.model);
    scene.banner->setState(ConnectionBanner::State::Connected);
    scene.composer->editor()->setPlainText(QStringLiteral("Have a nice day!"));
    const QString path = save(scene, QStringLiteral("light.png"));
    QVERIFY(!path.isEmpty());
    const QImage image(path);
    QCOMPARE(image.size(), QSize(480, 720));
    QVERIFY(meanLuminance(image) > 0.7);
    QVERIFY(countPixels(image, scene.windowRect("out1", &BubbleLayout::status), isBlue) > 5);
}

void TestLookShots::dark()
{
    Scene scene;
    scene.window.setPalette(LookPalettes::dark());
    fillEnglish(scene.model);
    scene.banner->setReconnecting(4000);
    scene.banner->setAction(QStringLiteral("Reconnect now"));
    const QString path = save(scene, QStringLiteral("dark.png"));
    QVERIFY(!path.isEmpty());
    const QImage image(path);
    QVERIFY2(meanLuminance(image) < 0.12, qPrintable(QString::number(meanLuminance(image))));
    // The read ticks stay blue on the dark bubble.
    QVERIFY(countPixels(image, scene.windowRect("out1", &BubbleLayout::status), isBlue) > 5);
    // Text is light on dark: the customer's first bubble holds bright pixels.
    const QRect text = scene.windowRect("in1", &BubbleLayout::text);
    QVERIFY(countPixels(image, text, [](QColor c) { return c.lightness() > 200; }) > 50);

    // HiDPI: the same window at device pixel ratio 2; ticks and the send arrow are drawn from their
    // vectors at that resolution, not scaled up (no 2x2 blocks of equal pixels).
    QPixmap hidpi(scene.window.size() * 2);
    hidpi.setDevicePixelRatio(2);
    hidpi.fill(Qt::black);
    scene.window.render(&hidpi);
    QVERIFY(hidpi.save(m_dir + QStringLiteral("/dark@2x.png")));
    const QImage big = hidpi.toImage();
    const QRect mark = scene.windowRect("out1", &BubbleLayout::status);
    int detailed = 0;
    for (int y = mark.top() * 2; y < (mark.bottom() + 1) * 2; y += 2) {
        for (int x = mark.left() * 2; x < (mark.right() + 1) * 2; x += 2) {
            const QRgb p = big.pixel(x, y);
            detailed += big.pixel(x + 1, y) != p || big.pixel(x, y + 1) != p || big.pixel(x + 1, y + 1) != p;
        }
    }
    QVERIFY2(detailed > mark.width() * mark.height() / 6, qPrintable(QString::number(detailed)));
}

void TestLookShots::rightToLeft()
{
    installTranslations(*qApp, QLocale(QLocale::Arabic, QLocale::Egypt));
    QCOMPARE(QGuiApplication::layoutDirection(), Qt::RightToLeft);
    Scene scene; // built after the catalogue is in: every label in Arabic
    scene.window.setPalette(LookPalettes::light());
    using D = Direction;
    using S = MessageStatus;
    auto &m = scene.model;
    m.append(message("in1", D::Inbound, QStringLiteral("مرحبًا، طلبت خلاطًا الأسبوع الماضي ولم يصل بعد 😕"), {9, 41}));
    m.append(message("out1", D::Outbound, QStringLiteral("نأسف لذلك! دعني أتحقق من تتبع الشحنة."), {9, 42}, S::Read));
    m.append(message("in2", D::Inbound, QStringLiteral("Order 88213, express shipping."), {9, 43}));
    m.append(message("out2", D::Outbound, QStringLiteral("غادر الطلب مستودعنا أمس ويصل غدًا."), {9, 44}, S::Delivered));
    m.append(message("out3", D::Outbound, QStringLiteral("تم رد رسوم الشحن السريع."), {9, 45}, S::Failed,
        QStringLiteral("Upstream unavailable")));
    scene.bar->setUnsentCount(1);
    scene.banner->setState(ConnectionBanner::State::Connected);
    scene.composer->editor()->setPlainText(QStringLiteral("هل يمكنني مساعدتك في شيء آخر؟"));
    const QString path = save(scene, QStringLiteral("rtl.png"));
    QVERIFY(!path.isEmpty());
    QCOMPARE(scene.window.layoutDirection(), Qt::RightToLeft);
    QCOMPARE(scene.bar->text(), QStringLiteral("لم يُرسَل رد واحد"));
    // The agent's replies on the left, the customer's on the right, Retry at the right of its bubble.
    QVERIFY(scene.windowRect("out1", &BubbleLayout::bubble).center().x() < scene.window.width() / 2);
    QVERIFY(scene.windowRect("in1", &BubbleLayout::bubble).center().x() > scene.window.width() / 2);
    const QRect retry = scene.windowRect("out3", &BubbleLayout::retry);
    QVERIFY(retry.right() > scene.windowRect("out3", &BubbleLayout::time).right());
    QVERIFY(countPixels(QImage(path), retry, isRed) > 20);
    // The English message keeps left-to-right inside its bubble.
    QCOMPARE(
        scene.windowRect("in2", &BubbleLayout::text).left() - scene.windowRect("in2", &BubbleLayout::bubble).left(),
        10);
}

void TestLookShots::failedWithRetry()
{
    Scene scene;
    scene.window.setPalette(LookPalettes::light());
    using D = Direction;
    using S = MessageStatus;
    auto &m = scene.model;
    m.append(message("in1", D::Inbound, "Can you refund the express fee?", {9, 41}));
    m.append(message("out1", D::Outbound, "Of course, one moment.", {9, 42}, S::Read));
    m.append(message("out2", D::Outbound, "I've refunded the express shipping fee.", {9, 43}, S::Failed,
        QStringLiteral("Upstream unavailable")));
    m.append(message("out3", D::Outbound, "You'll see it on your card in 3–5 days.", {9, 43}, S::Failed,
        QStringLiteral("WhatsApp did not answer in time")));
    Message queued = message("out4", D::Outbound, "Anything else I can help with?", {9, 44}, S::Pending);
    queued.queued = true;
    m.append(queued);
    scene.bar->setUnsentCount(2, true);
    scene.banner->setState(ConnectionBanner::State::Connected);
    const QString path = save(scene, QStringLiteral("failed-retry.png"));
    QVERIFY(!path.isEmpty());
    const QImage image(path);
    for (const char *id : {"out2", "out3"}) {
        QVERIFY2(countPixels(image, scene.windowRect(id, &BubbleLayout::retry), isRed) > 20, id);
        QVERIFY2(countPixels(image, scene.windowRect(id, &BubbleLayout::status), isRed) > 10, id);
    }
    QCOMPARE(scene.bar->text(), QStringLiteral("Connection is back · 2 replies not sent"));
}

QTEST_MAIN(TestLookShots)
#include "tst_lookshots.moc"
