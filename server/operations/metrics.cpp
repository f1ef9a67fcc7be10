#include "metrics.h"

#include <cmath>

bool Metrics::isValidName(QByteArrayView name)
{
    if (name.isEmpty())
        return false;
    for (qsizetype i = 0; i < name.size(); ++i) {
        const char c = name.at(i);
        const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
        if (!letter && !(i > 0 && c >= '0' && c <= '9'))
            return false;
    }
    return true;
}

QByteArray Metrics::escapeLabelValue(const QString &value)
{
    QByteArray out;
    const QByteArray utf8 = value.toUtf8();
    out.reserve(utf8.size());
    for (const char c : utf8) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

QByteArray Metrics::escapeHelp(const QString &help)
{
    QByteArray out;
    for (const char c : help.toUtf8()) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

QByteArray Metrics::formatValue(double value)
{
    if (std::isnan(value))
        return QByteArrayLiteral("NaN");
    if (std::isinf(value))
        return value > 0 ? QByteArrayLiteral("+Inf") : QByteArrayLiteral("-Inf");
    if (value == std::floor(value) && std::fabs(value) < 1e15)
        return QByteArray::number(qint64(value));
    return QByteArray::number(value, 'g', 15);
}

QByteArray Metrics::labelText(const Labels &labels)
{
    if (labels.isEmpty())
        return {};
    QByteArray out = "{";
    for (qsizetype i = 0; i < labels.size(); ++i) {
        if (i > 0)
            out += ',';
        out += labels.at(i).first + "=\"" + escapeLabelValue(labels.at(i).second) + '"';
    }
    return out + '}';
}

void Metrics::declare(const QByteArray &name, Type type, const QString &help)
{
    Q_ASSERT(isValidName(name));
    if (m_families.contains(name))
        return;
    m_order.append(name);
    m_families.insert(name, Family {type, help, {}, {}});
}

void Metrics::declareRead(const QByteArray &name, Type type, const QString &help, Reader reader)
{
    declare(name, type, help);
    m_families[name].reader = std::move(reader);
}

Metrics::Family *Metrics::family(const QByteArray &name)
{
    const auto it = m_families.find(name);
    Q_ASSERT_X(it != m_families.end(), "Metrics", "metric used before it was declared");
    return it == m_families.end() ? nullptr : &it.value();
}

void Metrics::add(const QByteArray &name, const Labels &labels, double delta)
{
    if (Family *f = family(name))
        f->samples[labelText(labels)] += delta;
}

void Metrics::set(const QByteArray &name, const Labels &labels, double value)
{
    if (Family *f = family(name))
        f->samples[labelText(labels)] = value;
}

double Metrics::value(const QByteArray &name, const Labels &labels) const
{
    const auto it = m_families.constFind(name);
    if (it == m_families.cend())
        return 0;
    if (it->reader) {
        const QList<Sample> samples = it->reader();
        for (const auto &[sampleLabels, v] : samples) {
            if (labelText(sampleLabels) == labelText(labels))
                return v;
        }
        return 0;
    }
    const auto sample = it->samples.find(labelText(labels));
    return sample == it->samples.end() ? 0 : sample->second;
}

QByteArray Metrics::render() const
{
    QByteArray out;
    for (const QByteArray &name : m_order) {
        const Family &f = m_families[name];
        out += "# HELP " + name + ' ' + escapeHelp(f.help) + '\n';
        out += "# TYPE " + name + (f.type == Type::Counter ? " counter\n" : " gauge\n");
        if (f.reader) {
            const QList<Sample> samples = f.reader();
            for (const auto &[labels, v] : samples)
                out += name + labelText(labels) + ' ' + formatValue(v) + '\n';
        } else {
            for (const auto &[labels, v] : f.samples)
                out += name + labels + ' ' + formatValue(v) + '\n';
        }
    }
    return out;
}
