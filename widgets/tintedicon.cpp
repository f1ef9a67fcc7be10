#include "tintedicon.h"

#include <QFile>
#include <QHash>
#include <QIconEngine>
#include <QPainter>
#include <QSvgRenderer>

namespace {

class TintedSvgEngine : public QIconEngine
{
public:
    TintedSvgEngine(const QByteArray &svg, const QColor &normal, const QColor &disabled, bool mirrored)
        : m_svg(svg)
        , m_normal(normal)
        , m_disabled(disabled)
        , m_mirrored(mirrored)
    {
    }

    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State state) override
    {
        const qreal dpr = painter->device() ? painter->device()->devicePixelRatioF() : 1.0;
        QPixmap pm = pixmap(rect.size() * dpr, mode, state);
        pm.setDevicePixelRatio(dpr);
        painter->drawPixmap(rect, pm);
    }

    // `size` is in device pixels (QIcon multiplies by the ratio first), so the vector is rendered
    // at exactly the resolution shown: nothing is scaled up from a small bitmap.
    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State) override
    {
        const quint64 key
            = (quint64(size.width()) << 32) | (quint64(size.height()) << 1) | (mode == QIcon::Disabled ? 1 : 0);
        if (const auto it = m_cache.constFind(key); it != m_cache.constEnd())
            return *it;
        QImage image(size, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::transparent);
        {
            QSvgRenderer renderer(m_svg);
            QPainter p(&image);
            p.setRenderHint(QPainter::Antialiasing);
            if (m_mirrored)
                p.setTransform(QTransform(-1, 0, 0, 1, size.width(), 0));
            renderer.render(&p, QRectF(QPointF(0, 0), QSizeF(size)));
            // Keep the shape (alpha), replace the colour.
            p.setCompositionMode(QPainter::CompositionMode_SourceIn);
            p.fillRect(image.rect(), mode == QIcon::Disabled ? m_disabled : m_normal);
        }
        QPixmap pm = QPixmap::fromImage(image);
        if (m_cache.size() > 16)
            m_cache.clear();
        m_cache.insert(key, pm);
        return pm;
    }

    QSize actualSize(const QSize &size, QIcon::Mode, QIcon::State) override { return size; }
    QIconEngine *clone() const override { return new TintedSvgEngine(m_svg, m_normal, m_disabled, m_mirrored); }
    QString key() const override { return QStringLiteral("TintedSvgEngine"); }

private:
    QByteArray m_svg;
    QColor m_normal;
    QColor m_disabled;
    bool m_mirrored;
    QHash<quint64, QPixmap> m_cache;
};

} // namespace

QIcon TintedIcon::fromSvg(const QString &path, const QColor &normal, const QColor &disabled, bool mirrored)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QIcon();
    return QIcon(new TintedSvgEngine(file.readAll(), normal, disabled, mirrored));
}
