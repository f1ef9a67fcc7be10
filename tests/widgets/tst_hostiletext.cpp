// Hostile message text (issue 5): markup, bidi overrides, invisible characters, emoji sequences, endless
// words and undecodable bytes are shown as the characters they are, wrapped inside the view, in rows of
// a sane height; painting them neither crashes nor lets a bubble grow past the view.
#include "bubblestyle.h"
#include "conversationview.h"
#include "messagedelegate.h"
#include "messagelistmodel.h"
#include "wirejson.h"

#include <QFontMetrics>
#include <QImage>
#include <QPainter>
#include <QTest>
#include <QTextBoundaryFinder>

#include <algorithm>
#include <memory>

namespace {

Message messageWith(const QString &id, const QString &text, bool outbound)
{
    Message m;
    m.id = id;
    m.direction = outbound ? Direction::Outbound : Direction::Inbound;
    m.status = outbound ? MessageStatus::Delivered : MessageStatus::None;
    m.text = text;
    m.timestamp = QDateTime(QDate(2026, 11, 23), QTime(10, 0), Qt::UTC);
    return m;
}

// What a transport makes of bytes that are not UTF-8 (QString::fromUtf8 in the polling transport):
// each bad sequence becomes U+FFFD.
QString fromServerBytes(const QByteArray &bytes)
{
    return QString::fromUtf8(bytes);
}

struct HostileText
{
    const char *name;
    QString text;
    bool outbound;
};

QList<HostileText> hostileTexts()
{
    const QString html = QStringLiteral("<b>bold</b> <a href=\"https://evil.example\">click</a> <img src=x "
                                        "onerror=alert(1)> &amp; &lt;br&gt; <table><tr><td>cell");
    const QString family = QStringLiteral("\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466");
    const QString flag = QStringLiteral("\U0001F3F3\uFE0F\u200D\U0001F308");
    const QString skin = QStringLiteral("\U0001F44B\U0001F3FD");
    return {
        {"html", html, false},
        {"html outbound", html, true},
        {"script", QStringLiteral("<script>alert(document.cookie)</script>"), false},
        {"qt rich text sniffing", QStringLiteral("<qt>"), false},
        {"rtl override", QStringLiteral("invoice_\u202Efdp.exe and \u202Bembedded\u202C \u2067iso"), false},
        {"rtl override unterminated", QStringLiteral("\u202E") + QString(300, u'w'), true},
        {"zero-width", QStringLiteral("a\u200Bb\u200Cc\u200Dd\uFEFFe\u2060f\u00ADg"), false},
        {"only zero-width", QString(2000, QChar(0x200B)), false},
        {"emoji zwj", family + u' ' + flag + u' ' + skin, false},
        {"emoji zwj, no spaces", (family + flag + skin).repeated(300), true},
        {"10,000 characters, no spaces", QString(10000, u'x'), false},
        {"10,000 wide characters", QString(10000, u'W'), true},
        {"long url", QStringLiteral("https://example.com/") + QString(10000, u'a'), false},
        {"combining marks", QStringLiteral("Z") + QString(400, QChar(0x0336)) + u'a' + QString(400, QChar(0x0489)),
            false},
        {"control characters", QStringLiteral("nul") + QChar(0) + QStringLiteral("bell\u0007esc\u001B[31mred\tcr\r"),
            false},
        {"many newlines", QStringLiteral("top") + QString(300, u'\n') + QStringLiteral("bottom"), false},
        {"line and paragraph separators", QStringLiteral("a\u2028b\u2029c\u0085d"), false},
        {"invalid utf-8", fromServerBytes("caf\xc3 \xff\xfe \xed\xa0\x80 \xf4\x90\x80\x80 \xc0\xaf"), false},
        {"lone surrogates", QStringLiteral("x") + QChar(0xD800) + u'y' + QChar(0xDC00), false},
        {"private use and noncharacters", QStringLiteral("\uE000\uFFFF\uFFFE\U0010FFFF"), false},
    };
}


} // namespace

class TestHostileText : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void shownLiterallyAndWrapped_data();
    void shownLiterallyAndWrapped();
    void allOfThemPaintTogether();
    void invalidUtf8IsReplacedNotDropped();
    void invalidUtf8InRestReplyIsReplaced();

private:
    void checkRow(const QModelIndex &index, const QString &text);

    std::unique_ptr<MessageListModel> m_model;
    std::unique_ptr<ConversationView> m_view;
};

void TestHostileText::init()
{
    m_model = std::make_unique<MessageListModel>();
    m_view = std::make_unique<ConversationView>();
    m_view->setModel(m_model.get());
    m_view->resize(600, 700);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
}

void TestHostileText::cleanup()
{
    m_view.reset();
    m_model.reset();
}

void TestHostileText::shownLiterallyAndWrapped_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("outbound");
    for (const HostileText &h : hostileTexts())
        QTest::newRow(h.name) << h.text << h.outbound;
}

void TestHostileText::shownLiterallyAndWrapped()
{
    QFETCH(QString, text);
    QFETCH(bool, outbound);
    QVERIFY(m_model->append(messageWith(QStringLiteral("hostile"), text, outbound)));
    const QModelIndex index = m_model->index(0);
    QCOMPARE(MessageDelegate::displayedText(index), text); // character for character
    QVERIFY(MessageDelegate::accessibleText(index).contains(text));

    for (const int width : {600, 260}) {
        m_view->resize(width, 700);
        QTRY_COMPARE(m_view->unmeasuredRowCount(), 0);
        checkRow(index, text);
        if (QTest::currentTestFailed())
            return;
    }
}

// The geometry the delegate paints with, checked against the view: inside it, sane, complete.
void TestHostileText::checkRow(const QModelIndex &index, const QString &text)
{
    const int viewWidth = m_view->viewport()->width();
    const QStyleOptionViewItem option = m_view->itemOption(index);
    const BubbleLayout l = m_view->messageDelegate()->layoutFor(option, index);
    const QFontMetrics fm(option.font);

    const bool inside = l.bubble.left() >= 0 && l.bubble.right() < viewWidth
        && l.bubble.width() <= viewWidth - 2 * BubbleStyle::sideMargin && l.bubble.contains(l.text);
    QVERIFY2(inside,
        qPrintable(QStringLiteral("bubble %1..%2, text %3..%4 in a %5 px view")
                       .arg(l.bubble.left())
                       .arg(l.bubble.right())
                       .arg(l.text.left())
                       .arg(l.text.right())
                       .arg(viewWidth)));
    QVERIFY(!l.text.isNull());

    // Finite and sane: at least a line, at most a line per character (and then some for the footer).
    const int height = l.row.height();
    QVERIFY(height >= fm.height());
    QVERIFY2(height <= (text.size() + 4) * fm.lineSpacing() * 2 && height < 200000,
        qPrintable(QStringLiteral("row height %1 for %2 characters").arg(height).arg(text.size())));
    QCOMPARE(m_view->visualRect(index).height(), height); // the view uses the delegate's own number

    // Wrapped, not cut off: the lines' area holds the whole text's advance. (horizontalAdvance lays the
    // string out as plain text, the way the delegate must; markup would come out far shorter.)
    const int lines = qMax(1, l.text.height() / fm.lineSpacing());
    const qreal advance = fm.horizontalAdvance(QString(text).replace(u'\n', QChar::LineSeparator));
    // Except where no break is possible: one grapheme cluster wider than the bubble (a letter under
    // hundreds of combining marks) keeps the bubble inside the view and is clipped there, by design.
    qreal widestCluster = 0;
    {
        QTextBoundaryFinder finder(QTextBoundaryFinder::Grapheme, text);
        for (int start = 0, next = finder.toNextBoundary(); next > 0; start = next, next = finder.toNextBoundary())
            widestCluster = qMax(widestCluster, qreal(fm.horizontalAdvance(text.mid(start, next - start))));
    }
    if (widestCluster <= l.text.width())
        QVERIFY2(qreal(lines) * l.text.width() + 2 * lines >= advance * 0.9,
            qPrintable(QStringLiteral("%1 lines of %2 px for %3 px of text").arg(lines).arg(l.text.width()).arg(advance)));
    // Markup laid out as markup would be narrower (tags vanish) or styled: printable ASCII that fits on
    // one line must take exactly the width of its characters.
    const bool printableAscii
        = std::all_of(text.cbegin(), text.cend(), [](QChar c) { return c.unicode() >= 0x20 && c.unicode() < 0x7f; });
    if (printableAscii && lines == 1)
        QVERIFY2(qAbs(l.text.width() - advance) <= 2,
            qPrintable(QStringLiteral("%1 px for %2").arg(l.text.width()).arg(advance)));

    // Painting it must not crash, nor trip ASan/UBSan in the sanitizer build.
    QImage image(m_view->viewport()->size(), QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    m_view->messageDelegate()->paint(&painter, option, index);
}

// All of them in one conversation: each row still fits, and scrolling through repaints them all.
void TestHostileText::allOfThemPaintTogether()
{
    const QList<HostileText> texts = hostileTexts();
    for (int i = 0; i < texts.size(); ++i)
        QVERIFY(m_model->append(messageWith(QStringLiteral("h%1").arg(i), texts.at(i).text, texts.at(i).outbound)));
    QTRY_COMPARE(m_view->unmeasuredRowCount(), 0);
    for (int i = 0; i < texts.size(); ++i) {
        const QModelIndex index = m_model->index(i);
        m_view->scrollTo(index, QAbstractItemView::PositionAtTop);
        m_view->viewport()->repaint();
        checkRow(index, texts.at(i).text);
        if (QTest::currentTestFailed())
            QFAIL(texts.at(i).name);
    }
    // Rows follow each other without overlap, so no bubble paints over another.
    for (int i = 1; i < texts.size(); ++i)
        QCOMPARE(m_view->visualRect(m_model->index(i)).top(), m_view->visualRect(m_model->index(i - 1)).bottom() + 1);
}

void TestHostileText::invalidUtf8IsReplacedNotDropped()
{
    const QString text = fromServerBytes("ok \xff\xfe done");
    QVERIFY(text.contains(QChar::ReplacementCharacter));
    QVERIFY(text.startsWith(u"ok ") && text.endsWith(u" done"));
    QVERIFY(m_model->append(messageWith(QStringLiteral("bytes"), text, false)));
    QCOMPARE(MessageDelegate::displayedText(m_model->index(0)), text);
}

// A REST reply that is not valid UTF-8 (a backend passing a customer's raw bytes through): the console
// should show the rest of the page with U+FFFD for the bad bytes, not refuse the whole page.
void TestHostileText::invalidUtf8InRestReplyIsReplaced()
{
    const QByteArray body = "{\"messages\":[{\"id\":\"m1\",\"text\":\"good\"},"
                            "{\"id\":\"m2\",\"text\":\"caf\xc3 \xff\"}]}";
    QString error;
    const auto page = Wire::parseHistory(body, &error);
    QVERIFY2(page.has_value(), qPrintable(error));
    QCOMPARE(page->messages.size(), 2);
    QVERIFY(page->messages.at(1).text.contains(QChar::ReplacementCharacter));
}

QTEST_MAIN(TestHostileText)
#include "tst_hostiletext.moc"
