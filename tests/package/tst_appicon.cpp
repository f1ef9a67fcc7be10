// The app icon (resources/icons/agent-console.svg) as the window and the desktop draw it: from the Qt
// resource, through the SVG icon engine, at 16 to 256 px and on HiDPI. Renders land in the artifacts
// folder (appicon-<size>.png) to look at. The committed Windows .ico and macOS .icns must hold the
// same drawing at every size they carry.
#include "appicon.h"

#include <QColor>
#include <QDir>
#include <QFile>
#include <QGuiApplication>
#include <QImage>
#include <QImageReader>
#include <QMap>
#include <QPainter>
#include <QPixmap>
#include <QRegularExpression>
#include <QSvgRenderer>
#include <QTest>
#include <QtEndian>

#include <algorithm>

namespace {

const QColor bubbleColour(0x1d, 0x6f, 0xb8);

struct Coverage
{
    double opaque = 0; // share of pixels drawn at all
    double bubble = 0; // share drawn in the bubble's blue
    double mark = 0; // share drawn white or nearly (antialiased edges): the double tick
};

Coverage coverage(const QImage &image)
{
    const QImage argb = image.convertToFormat(QImage::Format_ARGB32);
    int opaque = 0, bubble = 0, mark = 0;
    for (int y = 0; y < argb.height(); ++y) {
        for (int x = 0; x < argb.width(); ++x) {
            const QColor c = argb.pixelColor(x, y);
            if (c.alpha() < 250)
                continue;
            ++opaque;
            if (qAbs(c.red() - bubbleColour.red()) < 12 && qAbs(c.green() - bubbleColour.green()) < 12
                && qAbs(c.blue() - bubbleColour.blue()) < 12)
                ++bubble;
            else if (c.red() > 160 && c.green() > 160 && c.blue() > 160)
                ++mark;
        }
    }
    const double all = double(argb.width()) * argb.height();
    return {opaque / all, bubble / all, mark / all};
}

QImage renderSvg(int size)
{
    QSvgRenderer renderer(appIconPath());
    QImage image(size, size, QImage::Format_ARGB32);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    renderer.render(&painter);
    return image;
}

// The share of pixels, 0..1, where a committed rendering and a fresh one differ clearly. Antialiasing
// may shift an edge pixel by a few levels between Qt versions; a changed drawing moves whole pixels.
double difference(const QImage &committed, const QImage &fresh)
{
    const QImage a = committed.convertToFormat(QImage::Format_ARGB32);
    const QImage b = fresh.convertToFormat(QImage::Format_ARGB32);
    int differing = 0;
    for (int y = 0; y < a.height(); ++y) {
        for (int x = 0; x < a.width(); ++x) {
            const QRgb p = a.pixel(x, y), q = b.pixel(x, y);
            const int most = std::max({qAbs(qRed(p) - qRed(q)), qAbs(qGreen(p) - qGreen(q)), qAbs(qBlue(p) - qBlue(q)),
                qAbs(qAlpha(p) - qAlpha(q))});
            differing += most > 48 ? 1 : 0;
        }
    }
    return double(differing) / (a.width() * a.height());
}

const char *const regenerate = "resources/icons/agent-console.svg changed: cmake --build <build> --target "
                               "agentconsole_platform_icons, and commit the new .ico and .icns";

} // namespace

class TestAppIcon : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        // A warning from the SVG renderer (a bad path, a missing reference) means a wrong drawing.
        QTest::failOnWarning(QRegularExpression(QStringLiteral(".*")));
    }

    void isInTheResource()
    {
        QVERIFY(QFile::exists(appIconPath()));
        QSvgRenderer renderer(appIconPath());
        QVERIFY(renderer.isValid());
        // A square canvas: desktops draw app icons in squares and would otherwise letterbox it.
        QCOMPARE(renderer.viewBoxF().width(), renderer.viewBoxF().height());
        QVERIFY(!appIcon().isNull());
    }

    void rendersAtDesktopSizes_data()
    {
        QTest::addColumn<int>("size");
        QTest::addColumn<qreal>("devicePixelRatio");
        QTest::newRow("16 px, menus") << 16 << 1.0;
        QTest::newRow("32 px, taskbar") << 32 << 1.0;
        QTest::newRow("32 px at 2x") << 32 << 2.0;
        QTest::newRow("48 px, launcher") << 48 << 1.0;
        QTest::newRow("256 px, software centre") << 256 << 1.0;
    }

    void rendersAtDesktopSizes()
    {
        QFETCH(int, size);
        QFETCH(qreal, devicePixelRatio);
        const QPixmap pixmap = appIcon().pixmap(QSize(size, size), devicePixelRatio);
        const int pixels = qRound(size * devicePixelRatio);
        QCOMPARE(pixmap.size(), QSize(pixels, pixels)); // drawn at full resolution, not scaled up

        const QImage image = pixmap.toImage();
        const Coverage drawn = coverage(image);
        // The bubble fills most of the square and leaves its corners and the space beside its tail
        // clear; the tick is a visible share of it, at 16 px too.
        qDebug("opaque %.3f bubble %.3f mark %.3f", drawn.opaque, drawn.bubble, drawn.mark);
        QVERIFY2(drawn.opaque > 0.40 && drawn.opaque < 0.80, qPrintable(QString::number(drawn.opaque)));
        QVERIFY2(drawn.bubble > 0.28, qPrintable(QString::number(drawn.bubble)));
        QVERIFY2(drawn.mark > 0.05 && drawn.mark < 0.20, qPrintable(QString::number(drawn.mark)));
        // The corners are transparent, the centre is the mark or the bubble, never the background.
        QCOMPARE(image.pixelColor(0, 0).alpha(), 0);
        QCOMPARE(image.pixelColor(pixels - 1, pixels - 1).alpha(), 0);
        QCOMPARE(image.pixelColor(pixels / 2, pixels * 2 / 5).alpha(), 255);

        const QString artifacts = qEnvironmentVariable("AGENT_CONSOLE_ARTIFACTS");
        if (!artifacts.isEmpty()) {
            QVERIFY(QDir().mkpath(artifacts));
            QVERIFY(image.save(QDir(artifacts).filePath(QStringLiteral("appicon-%1.png").arg(pixels))));
        }
    }

    void windowsIconMatchesTheSvg()
    {
        QImageReader reader(QStringLiteral(AGENT_CONSOLE_ICONS_DIR "/agent-console.ico"));
        QVERIFY2(reader.canRead(), qPrintable(reader.errorString()));
        QList<int> sizes;
        for (int i = 0; i < reader.imageCount(); ++i) {
            QVERIFY(reader.jumpToImage(i));
            const QImage image = reader.read();
            QVERIFY2(!image.isNull(), qPrintable(reader.errorString()));
            QCOMPARE(image.width(), image.height());
            sizes.append(image.width());
            const double diff = difference(image, renderSvg(image.width()));
            QVERIFY2(diff < 0.002,
                qPrintable(QStringLiteral("%1 px: %2% of the pixels differ; %3")
                               .arg(image.width())
                               .arg(diff * 100)
                               .arg(QLatin1String(regenerate))));
        }
        // Explorer's small and large icons, the taskbar, and the installer's 256 px.
        QCOMPARE(sizes, (QList<int> {16, 24, 32, 48, 64, 256}));
    }

    void macIconMatchesTheSvg()
    {
        QFile file(QStringLiteral(AGENT_CONSOLE_ICONS_DIR "/agent-console.icns"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QCOMPARE(bytes.left(4), QByteArray("icns"));
        QCOMPARE(qFromBigEndian<quint32>(bytes.constData() + 4), quint32(bytes.size()));
        // Each entry: a four-letter type, its length (header included), a PNG.
        QMap<QByteArray, int> sizes;
        for (qsizetype at = 8; at < bytes.size();) {
            QVERIFY(at + 8 <= bytes.size());
            const QByteArray type = bytes.mid(at, 4);
            const quint32 length = qFromBigEndian<quint32>(bytes.constData() + at + 4);
            QVERIFY(length > 8 && at + qsizetype(length) <= bytes.size());
            const QImage image = QImage::fromData(bytes.mid(at + 8, length - 8), "PNG");
            QVERIFY2(!image.isNull(), type.constData());
            sizes.insert(type, image.width());
            const double diff = difference(image, renderSvg(image.width()));
            QVERIFY2(diff < 0.002,
                qPrintable(QStringLiteral("%1: %2% of the pixels differ; %3")
                               .arg(QLatin1String(type))
                               .arg(diff * 100)
                               .arg(QLatin1String(regenerate))));
            at += length;
        }
        const QMap<QByteArray, int> expected {{"icp4", 16}, {"icp5", 32}, {"ic11", 32}, {"ic12", 64}, {"ic07", 128},
            {"ic08", 256}, {"ic13", 256}, {"ic09", 512}, {"ic14", 512}, {"ic10", 1024}};
        QCOMPARE(sizes, expected);
    }
};

QTEST_MAIN(TestAppIcon)
#include "tst_appicon.moc"
