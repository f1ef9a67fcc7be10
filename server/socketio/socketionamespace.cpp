#include "socketionamespace.h"

Namespace::Namespace(const QString &name, QObject *parent)
    : QObject(parent)
    , m_name(name)
{
}

void Namespace::setAdmission(Admission admission)
{
    m_admission = std::move(admission);
}

QString Namespace::admit(const Handshake &handshake) const
{
    return m_admission ? m_admission(handshake) : QString();
}
