// A small Prometheus registry for widget-server's /metrics: counters and gauges with label sets,
// rendered in the text exposition format 0.0.4 (HELP and TYPE lines, escaped label values). Gauges
// that mirror live state (sockets, sessions, uptime) are read through a callback at render time.
#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

#include <functional>
#include <map>

class Metrics
{
public:
    enum class Type { Counter, Gauge };
    using Labels = QList<std::pair<QByteArray, QString>>; // name → value, in the order rendered
    using Sample = std::pair<Labels, double>;
    using Reader = std::function<QList<Sample>()>;

    // Declares a family once; name must match [a-zA-Z_:][a-zA-Z0-9_:]*. Redeclaring is a no-op.
    void declare(const QByteArray &name, Type type, const QString &help);
    // A family whose samples are read at render time (e.g. the sockets connected right now).
    void declareRead(const QByteArray &name, Type type, const QString &help, Reader reader);

    void add(const QByteArray &name, const Labels &labels = {}, double delta = 1); // counters and gauges
    void set(const QByteArray &name, const Labels &labels, double value); // gauges
    double value(const QByteArray &name, const Labels &labels = {}) const; // 0 when never touched

    QByteArray render() const;

    static bool isValidName(QByteArrayView name);
    static QByteArray escapeLabelValue(const QString &value);
    static QByteArray escapeHelp(const QString &help);
    static QByteArray formatValue(double value);

private:
    struct Family
    {
        Type type = Type::Counter;
        QString help;
        Reader reader;
        std::map<QByteArray, double> samples; // rendered label set → value, sorted for a stable output
    };
    static QByteArray labelText(const Labels &labels);
    Family *family(const QByteArray &name);

    QList<QByteArray> m_order; // families in declaration order
    QHash<QByteArray, Family> m_families;
};
