// The console's look under any system palette: contrast of every text against what it is drawn on
// (WCAG AA, 4.5:1) in light and dark schemes, palette changes picked up at once, marks that stay
// blue / red, vector rendering at device pixel ratio 2 and sizes relative to the system font.
#include "bubblestyle.h"
#include "composer.h"
#include "connectionbanner.h"
#include "consolecolours.h"
#include "conversationscene.h"
#include "conversationview.h"
#include "failedrepliesbar.h"
#include "lookpalettes.h"
#include "messagedelegate.h"
#include "messagelistmodel.h"
#include "tintedicon.h"

#include <QApplication>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTest>
#include <QToolButton>

#include <memory>

using namespace ConsoleColours;

namespace {
double hueDistance(const QColor &a, const QColor &b)
{
    const double d = std::abs(a.hsvHueF() - b.hsvHueF()) * 360;
    return std::min(d, 360 - d);
}

// An image scaled up from a 1x bitmap repeats every pixel in 2x2 blocks; one rendered at 2x does not.
int blocksWithDetail(const QImage &image, const QRect &rect)
{
    int n = 0;
    for (int y = rect.top(); y + 1 <= rect.bottom(); y += 2) {
        for (int x = rect.left(); x + 1 <= rect.right(); x += 2) {
            const QRgb p = image.pixel(x, y);
            if (image.pixel(x + 1, y) != p || image.pixel(x, y + 1) != p || image.pixel(x + 1, y + 1) != p)
                ++n;
        }
    }
    return n;
}
} // namespace

class TestLookColours : public QObject
{
    Q_OBJECT

private slots:
    void contrastFollowsWcag();
    void withContrastReachesTheRatio_data();
    void withContrastReachesTheRatio();
    void bubbleTextIsReadable_data();
    void bubbleTextIsReadable();
    void barsAreReadable_data();
    void barsAreReadable();
    void readAndFailedStayDistinct_data();
    void readAndFailedStayDistinct();
    void darkPaletteGivesDarkSurfaces();
    void viewFollowsApplicationPalette();
    void barsAndComposerFollowPalette();
    void marksAreVectorAtDpr2();
    void sendIconIsRenderedAtDpr2();
    void sizesFollowTheSystemFont();

private:
    static std::unique_ptr<ConversationView> makeView(MessageListModel *model);
};

void TestLookColours::contrastFollowsWcag()
{
    QCOMPARE(qRound(contrast(Qt::black, Qt::white) * 100), 2100);
    QCOMPARE(contrast(Qt::red, Qt::red), 1.0);
    QCOMPARE(contrast(Qt::white, Qt::black), contrast(Qt::black, Qt::white));
    // Reference values from the WCAG contrast checker.
    QCOMPARE(qRound(contrast(QColor(0x76, 0x76, 0x76), Qt::white) * 100), 454);
    QCOMPARE(qRound(contrast(QColor(0x77, 0x77, 0x77), Qt::white) * 100), 448);
    QVERIFY(luminance(Qt::white) > 0.999 && luminance(Qt::black) < 0.001);
}

void TestLookColours::withContrastReachesTheRatio_data()
{
    QTest::addColumn<QColor>("colour");
    QTest::addColumn<QColor>("background");
    QTest::newRow("grey on white") << QColor(0xaa, 0xaa, 0xaa) << QColor(Qt::white);
    QTest::newRow("navy on dark") << QColor(0x0b, 0x2e, 0x80) << QColor(0x23, 0x26, 0x29);
    QTest::newRow("yellow on white") << QColor(Qt::yellow) << QColor(Qt::white);
    QTest::newRow("grey on mid grey") << QColor(0x80, 0x80, 0x80) << QColor(0x77, 0x77, 0x77);
    QTest::newRow("already fine") << QColor(Qt::black) << QColor(Qt::white);
}

void TestLookColours::withContrastReachesTheRatio()
{
    QFETCH(QColor, colour);
    QFETCH(QColor, background);
    const QColor fixed = withContrast(colour, background);
    QVERIFY2(contrast(fixed, background) >= textContrast, qPrintable(fixed.name()));
    if (contrast(colour, background) >= textContrast)
        QCOMPARE(fixed, colour); // never changes a colour that is fine
}

void TestLookColours::bubbleTextIsReadable_data()
{
    QTest::addColumn<QPalette>("palette");
    for (const auto &[name, palette] : LookPalettes::all())
        QTest::newRow(name) << palette;
}

void TestLookColours::bubbleTextIsReadable()
{
    QFETCH(QPalette, palette);
    const Bubble b = Bubble::fromPalette(palette);
    const struct
    {
        const char *what;
        QColor text;
        QColor background;
        double minimum;
    } pairs[] = {
        {"inbound text", b.inboundText, b.inbound, textContrast},
        {"outbound text", b.outboundText, b.outbound, textContrast},
        {"inbound time", b.inboundSecondary, b.inbound, textContrast},
        {"outbound time", b.outboundSecondary, b.outbound, textContrast},
        {"inbound link", b.inboundLink, b.inbound, textContrast},
        {"outbound link", b.outboundLink, b.outbound, textContrast},
        {"error", b.errorText, b.outbound, textContrast},
        {"retry", b.retryText, b.retryFill, textContrast},
        {"tick", b.tick, b.outbound, markContrast},
        {"read tick", b.read, b.outbound, markContrast},
        {"failed mark", b.failed, b.outbound, markContrast},
        {"failed symbol", b.failedSymbol, b.failed, markContrast},
    };
    for (const auto &p : pairs) {
        const double ratio = contrast(p.text, p.background);
        QVERIFY2(ratio >= p.minimum,
            qPrintable(QStringLiteral("%1: %2 on %3 is %4:1")
                           .arg(p.what, p.text.name(), p.background.name())
                           .arg(ratio, 0, 'f', 2)));
    }
    // Bubbles stand out from the background they sit on, both directions apart from each other.
    QVERIFY(contrast(b.inbound, b.background) >= 1.08);
    QVERIFY(b.inbound != b.outbound);
}

void TestLookColours::barsAreReadable_data()
{
    bubbleTextIsReadable_data();
}

void TestLookColours::barsAreReadable()
{
    QFETCH(QPalette, palette);
    for (Tone::Kind kind : {Tone::Neutral, Tone::Positive, Tone::Warning, Tone::Negative}) {
        const Tone t = Tone::fromPalette(kind, palette);
        QVERIFY2(contrast(t.text, t.background) >= textContrast, qPrintable(QString::number(kind)));
    }
    QVERIFY(contrast(failedText(palette), palette.color(QPalette::Window)) >= textContrast);
}

void TestLookColours::readAndFailedStayDistinct_data()
{
    bubbleTextIsReadable_data();
}

void TestLookColours::readAndFailedStayDistinct()
{
    QFETCH(QPalette, palette);
    const Bubble b = Bubble::fromPalette(palette);
    // Blue and red, far apart on the colour wheel, and both clearly coloured next to the grey ticks.
    QVERIFY2(hueDistance(b.read, b.failed) >= 120, qPrintable(b.read.name() + u' ' + b.failed.name()));
    QVERIFY(b.read.hsvHueF() * 360 > 190 && b.read.hsvHueF() * 360 < 230);
    QVERIFY(b.failed.hsvHueF() * 360 < 15 || b.failed.hsvHueF() * 360 > 345);
    QVERIFY(b.read.hsvSaturationF() > 0.45);
    QVERIFY(b.failed.hsvSaturationF() > 0.45);
    QVERIFY(b.tick.hsvSaturationF() < 0.25);
}

void TestLookColours::darkPaletteGivesDarkSurfaces()
{
    for (const QPalette &palette : {LookPalettes::dark(), LookPalettes::flatDark()}) {
        QVERIFY(isDark(palette));
        const Bubble b = Bubble::fromPalette(palette);
        QVERIFY(luminance(b.inbound) < 0.1);
        QVERIFY(luminance(b.outbound) < 0.15);
        QVERIFY(luminance(b.background) < 0.1);
        QVERIFY(luminance(b.inboundText) > 0.8);
    }
    QVERIFY(!isDark(LookPalettes::light()));
    QVERIFY(luminance(Bubble::fromPalette(LookPalettes::light()).inbound) > 0.9);
}

std::unique_ptr<ConversationView> TestLookColours::makeView(MessageListModel *model)
{
    model->append(testMessage("in", Direction::Inbound, "Hello", MessageStatus::None));
    model->append(testMessage("read", Direction::Outbound, "Read reply", MessageStatus::Read));
    model->append(testMessage("failed", Direction::Outbound, "Failed reply", MessageStatus::Failed));
    auto view = std::make_unique<ConversationView>();
    view->setModel(model);
    view->resize(420, 400);
    view->show();
    return view;
}

void TestLookColours::viewFollowsApplicationPalette()
{
    const QPalette original = QApplication::palette();
    QApplication::setPalette(LookPalettes::light());
    MessageListModel model;
    auto view = makeView(&model);
    QVERIFY(QTest::qWaitForWindowExposed(view.get()));
    QTRY_COMPARE(view->unmeasuredRowCount(), 0);
    const QPoint corner(2, 2); // background, above the short conversation
    QVERIFY(luminance(view->viewport()->grab().toImage().pixelColor(corner)) > 0.7);

    // The desktop switches to dark: no restart, no stale colours.
    QApplication::setPalette(LookPalettes::dark());
    QTRY_COMPARE(view->palette().color(QPalette::Window), LookPalettes::dark().color(QPalette::Window));
    const QImage darkShot = view->viewport()->grab().toImage();
    QVERIFY(luminance(darkShot.pixelColor(corner)) < 0.1);
    const QModelIndex in = model.indexOf("in");
    const QRect bubble = view->messageDelegate()->bubbleRect(view->itemOption(in), in);
    QVERIFY(luminance(darkShot.pixelColor(bubble.left() + 3, bubble.center().y())) < 0.1);
    QApplication::setPalette(original);
}

void TestLookColours::barsAndComposerFollowPalette()
{
    const QPalette original = QApplication::palette();
    QApplication::setPalette(LookPalettes::light());
    QWidget window;
    auto *banner = new ConnectionBanner(&window);
    banner->setState(ConnectionBanner::State::Disconnected, QStringLiteral("no route"));
    auto *bar = new FailedRepliesBar(&window);
    bar->setUnsentCount(2);
    auto *composer = new Composer(&window);
    composer->editor()->setPlainText(QString(Composer::maxLength + 3, u'x'));
    const auto textOf = [](QWidget *w) { return w->palette().color(QPalette::WindowText); };
    const QColor lightBanner = textOf(banner->findChild<QLabel *>());
    const QColor lightLimit = textOf(composer->limitMessage());
    QVERIFY(luminance(lightBanner) < 0.2);

    QApplication::setPalette(LookPalettes::dark());
    const QPalette dark = LookPalettes::dark();
    QTRY_COMPARE(banner->palette().color(QPalette::Window), dark.color(QPalette::Window));
    QCOMPARE(textOf(banner->findChild<QLabel *>()), Tone::fromPalette(Tone::Negative, dark).text);
    QVERIFY(luminance(textOf(banner->findChild<QLabel *>())) > 0.3);
    QCOMPARE(
        bar->showFirstButton()->palette().color(QPalette::ButtonText), Tone::fromPalette(Tone::Negative, dark).text);
    QCOMPARE(
        bar->retryAllButton()->palette().color(QPalette::ButtonText), Tone::fromPalette(Tone::Negative, dark).text);
    QCOMPARE(textOf(composer->limitMessage()), failedText(dark));
    QVERIFY(textOf(composer->limitMessage()) != lightLimit);
    QVERIFY(composer->sendButton()->styleSheet().contains(dark.color(QPalette::Highlight).name(QColor::HexArgb)));
    QApplication::setPalette(original);
}

void TestLookColours::marksAreVectorAtDpr2()
{
    MessageListModel model;
    auto view = makeView(&model);
    QVERIFY(QTest::qWaitForWindowExposed(view.get()));
    QTRY_COMPARE(view->unmeasuredRowCount(), 0);
    QPixmap pixmap(view->viewport()->size() * 2);
    pixmap.setDevicePixelRatio(2);
    view->viewport()->render(&pixmap);
    const QImage image = pixmap.toImage();
    for (const char *id : {"read", "failed"}) {
        const QModelIndex index = model.indexOf(id);
        const QRect mark = view->messageDelegate()->statusRect(view->itemOption(index), index);
        const QRect device(mark.topLeft() * 2, mark.size() * 2);
        // Drawn at device resolution: plenty of 2x2 blocks with detail inside the mark.
        QVERIFY2(blocksWithDetail(image, device) > mark.width() * mark.height() / 6, id);
    }
}

void TestLookColours::sendIconIsRenderedAtDpr2()
{
    const QIcon icon = TintedIcon::fromSvg(QStringLiteral(":/icons/send.svg"), Qt::white, Qt::gray);
    QVERIFY(!icon.isNull());
    const QPixmap at2 = icon.pixmap(QSize(18, 18), 2.0);
    QCOMPARE(at2.size(), QSize(36, 36));
    QCOMPARE(at2.devicePixelRatio(), 2.0);
    const QImage image = at2.toImage();
    QVERIFY(blocksWithDetail(image, image.rect()) > 20);
    // Tinted: every visible pixel is the requested colour.
    int ink = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            if (c.alpha() == 255) {
                QCOMPARE(c.rgb(), QColor(Qt::white).rgb());
                ++ink;
            }
        }
    }
    QVERIFY(ink > 100);
    const QImage disabled = icon.pixmap(QSize(18, 18), 1.0, QIcon::Disabled).toImage();
    const QColor middle = disabled.pixelColor(disabled.width() / 2, disabled.height() / 2);
    QVERIFY2(qAbs(middle.red() - 0xa0) <= 2 && qAbs(middle.blue() - 0xa4) <= 2, qPrintable(middle.name()));
}

void TestLookColours::sizesFollowTheSystemFont()
{
    MessageListModel model;
    auto view = makeView(&model);
    QVERIFY(QTest::qWaitForWindowExposed(view.get()));
    const QModelIndex read = model.indexOf("read");
    QFont font = view->font();
    font.setPointSizeF(10);
    view->setFont(font);
    QTRY_COMPARE(view->unmeasuredRowCount(), 0);
    const QRect small = view->messageDelegate()->bubbleRect(view->itemOption(read), read);
    const QRect smallMark = view->messageDelegate()->statusRect(view->itemOption(read), read);
    font.setPointSizeF(20);
    view->setFont(font);
    QTRY_COMPARE(view->unmeasuredRowCount(), 0);
    const QRect large = view->messageDelegate()->bubbleRect(view->itemOption(read), read);
    QVERIFY2(large.height() > small.height() * 1.5,
        qPrintable(QStringLiteral("%1 -> %2").arg(small.height()).arg(large.height())));
    QVERIFY(view->messageDelegate()->statusRect(view->itemOption(read), read).height() > smallMark.height());
    QCOMPARE(view->visualRect(read).height(), large.height() + 2 * BubbleStyle::rowGap);

    // A pixel-sized system font works too (the small font is derived, never -1).
    QFont pixels = view->font();
    pixels.setPixelSize(15);
    view->setFont(pixels);
    QTRY_COMPARE(view->unmeasuredRowCount(), 0);
    QVERIFY(view->messageDelegate()->statusRect(view->itemOption(read), read).height() >= 10);

    Composer composer;
    QFont big = composer.font();
    big.setPointSizeF(20);
    composer.setFont(big);
    QCOMPARE(composer.counter()->font().pointSizeF(), 17.0);
    QVERIFY(composer.sendButton()->iconSize().height() > 20);
}

QTEST_MAIN(TestLookColours)
#include "tst_lookcolours.moc"
