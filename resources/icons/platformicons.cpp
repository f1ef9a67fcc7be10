// Renders agent-console.svg into the icon files Windows and macOS want, which are committed next to it:
// agent-console.ico (the .exe and the installer: 16, 24, 32, 48, 64 px as 32-bit bitmaps, 256 px as PNG)
// and agent-console.icns (the app bundle: 16 to 1024 px as PNG). Run by the target
// `agentconsole_platform_icons` (cmake --build build --target agentconsole_platform_icons) after the SVG
// changes; tst_appicon fails while they differ from the SVG.
//   platformicons SVG ICO ICNS

#include <QBuffer>
#include <QByteArray>
#include <QFile>
#include <QGuiApplication>
#include <QImage>
#include <QList>
#include <QPainter>
#include <QSvgRenderer>
#include <QtEndian>

#include <cstdio>

namespace {

QImage render(QSvgRenderer &renderer, int size)
{
    QImage image(size, size, QImage::Format_ARGB32);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    renderer.render(&painter);
    return image;
}

QByteArray png(const QImage &image)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return bytes;
}

template <typename T> void append(QByteArray &out, T value) // little-endian, as ICO wants
{
    const T le = qToLittleEndian(value);
    out.append(reinterpret_cast<const char *>(&le), sizeof le);
}

void appendBigEndian(QByteArray &out, quint32 value) // as ICNS wants
{
    const quint32 be = qToBigEndian(value);
    out.append(reinterpret_cast<const char *>(&be), sizeof be);
}

// A 32-bit BGRA device-independent bitmap as ICO stores it: bottom-up rows, twice the height (the
// colour rows, then a 1-bit AND mask, all zero since the alpha channel carries the transparency).
QByteArray bitmap(const QImage &image)
{
    const int size = image.width();
    QByteArray out;
    append<quint32>(out, 40);
    append<qint32>(out, size);
    append<qint32>(out, size * 2);
    append<quint16>(out, 1);
    append<quint16>(out, 32);
    append<quint32>(out, 0);
    append<quint32>(out, 0);
    append<qint32>(out, 0);
    append<qint32>(out, 0);
    append<quint32>(out, 0);
    append<quint32>(out, 0);
    for (int y = size - 1; y >= 0; --y) {
        const auto *row = reinterpret_cast<const QRgb *>(image.constScanLine(y));
        for (int x = 0; x < size; ++x)
            append<quint32>(out, row[x]); // QRgb is 0xAARRGGBB: B, G, R, A in little-endian memory
    }
    const int maskRowBytes = ((size + 31) / 32) * 4;
    out.append(QByteArray(maskRowBytes * size, '\0'));
    return out;
}

QByteArray ico(QSvgRenderer &renderer)
{
    const QList<int> sizes {16, 24, 32, 48, 64, 256};
    QList<QByteArray> images;
    for (int size : sizes)
        images.append(size < 256 ? bitmap(render(renderer, size)) : png(render(renderer, size)));
    QByteArray out;
    append<quint16>(out, 0);
    append<quint16>(out, 1); // an icon, not a cursor
    append<quint16>(out, quint16(sizes.size()));
    quint32 offset = 6 + 16 * quint32(sizes.size());
    for (int i = 0; i < sizes.size(); ++i) {
        out.append(char(sizes[i] == 256 ? 0 : sizes[i])); // 0 means 256
        out.append(char(sizes[i] == 256 ? 0 : sizes[i]));
        out.append(char(0));
        out.append(char(0));
        append<quint16>(out, 1);
        append<quint16>(out, 32);
        append<quint32>(out, quint32(images[i].size()));
        append<quint32>(out, offset);
        offset += quint32(images[i].size());
    }
    for (const QByteArray &image : images)
        out.append(image);
    return out;
}

QByteArray icns(QSvgRenderer &renderer)
{
    // The PNG-holding types: icp4 16, icp5 32, ic07 128, ic08 256, ic09 512, and the 2x ones
    // ic11 16@2x, ic12 32@2x, ic13 128@2x, ic14 256@2x, ic10 512@2x.
    const QList<std::pair<const char *, int>> types {{"icp4", 16}, {"icp5", 32}, {"ic11", 32}, {"ic12", 64},
        {"ic07", 128}, {"ic08", 256}, {"ic13", 256}, {"ic09", 512}, {"ic14", 512}, {"ic10", 1024}};
    QByteArray body;
    for (const auto &[type, size] : types) {
        const QByteArray data = png(render(renderer, size));
        body.append(type, 4);
        appendBigEndian(body, quint32(8 + data.size()));
        body.append(data);
    }
    QByteArray out("icns");
    appendBigEndian(out, quint32(8 + body.size()));
    return out + body;
}

bool write(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size()) {
        std::fprintf(stderr, "platformicons: cannot write %s: %s\n", qPrintable(path), qPrintable(file.errorString()));
        return false;
    }
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    const QStringList arguments = QGuiApplication::arguments();
    if (arguments.size() != 4) {
        std::fprintf(stderr, "usage: platformicons SVG ICO ICNS\n");
        return 2;
    }
    QSvgRenderer renderer(arguments[1]);
    if (!renderer.isValid()) {
        std::fprintf(stderr, "platformicons: %s is not a valid SVG\n", qPrintable(arguments[1]));
        return 1;
    }
    return write(arguments[2], ico(renderer)) && write(arguments[3], icns(renderer)) ? 0 : 1;
}
