#include "amqptls.h"

// rabbitmq-c installs its SSL header only when built with SSL support.
#if defined(AGENT_CONSOLE_AMQP_TLS) && __has_include(<rabbitmq-c/ssl_socket.h>)
#include <rabbitmq-c/ssl_socket.h>
#define AMQP_TLS_BUILT 1
#elif defined(AGENT_CONSOLE_AMQP_TLS) && __has_include(<amqp_ssl_socket.h>)
#include <amqp_ssl_socket.h>
#define AMQP_TLS_BUILT 1
#endif

#ifndef AMQP_TLS_BUILT

bool AmqpTls::supported()
{
    return false;
}

amqp_socket_t_ *AmqpTls::newSocket(amqp_connection_state_t_ *, const AmqpSettings &, Findings *, QString *error)
{
    *error = QStringLiteral("this widget-server is built without TLS support (OpenSSL, rabbitmq-c with SSL)");
    return nullptr;
}

QString AmqpTls::takeError()
{
    return {};
}

void AmqpTls::releaseThread() { }

#else

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <QFile>
#include <QHostAddress>

namespace {

// OpenSSL's verify callback: keeps the first reason a certificate of the chain was refused, with the
// certificate's subject, where the connection reads it (the SSL_CTX's app data).
int rememberRefusal(int preverifyOk, X509_STORE_CTX *store)
{
    if (preverifyOk)
        return 1;
    const auto *ssl = static_cast<const SSL *>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
    auto *findings = ssl ? static_cast<AmqpTls::Findings *>(SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl))) : nullptr;
    QString *refusal = findings ? &findings->refusal : nullptr;
    if (refusal && refusal->isEmpty()) {
        *refusal = QString::fromUtf8(X509_verify_cert_error_string(X509_STORE_CTX_get_error(store)));
        if (X509 *certificate = X509_STORE_CTX_get_current_cert(store)) {
            char subject[256] = {};
            X509_NAME_oneline(X509_get_subject_name(certificate), subject, sizeof subject);
            *refusal += QStringLiteral(" (certificate %1)").arg(QString::fromUtf8(subject));
        }
    }
    return 0;
}

// OpenSSL's info callback: keeps a fatal alert the broker sends, which a failed read only calls "a SSL error".
void rememberAlert(const SSL *ssl, int where, int value)
{
    if (!(where & SSL_CB_READ_ALERT) || SSL_alert_type_string(value)[0] != 'F')
        return;
    if (auto *findings = static_cast<AmqpTls::Findings *>(SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl))))
        // OpenSSL 3.0 has no words for TLS 1.3's certificate_required (116).
        findings->alert = (value & 0xff) == 116 ? QStringLiteral("certificate required")
                                                : QString::fromUtf8(SSL_alert_desc_string_long(value));
}

// An encrypted key would make OpenSSL prompt on the terminal: refuse it instead.
int noPassword(char *, int, int, void *)
{
    return 0;
}

QString failed(const QString &what)
{
    const QString why = AmqpTls::takeError();
    return why.isEmpty() ? what : what + QStringLiteral(": ") + why;
}

} // namespace

amqp_socket_t_ *AmqpTls::newSocket(
    amqp_connection_state_t_ *connection, const AmqpSettings &settings, Findings *findings, QString *error)
{
    takeError();
    amqp_socket_t *socket = amqp_ssl_socket_new(connection);
    if (!socket) {
        *error = failed(QStringLiteral("cannot create a TLS socket"));
        return nullptr;
    }
    // rabbitmq-c's own checks after the handshake stay on as well (they are its defaults), but for an IP
    // address: rabbitmq-c 0.11 compares a host only with DNS names, so it would refuse a certificate that
    // names the address as an IP address, as it should. OpenSSL checks that one in the handshake (below).
    const bool hostIsAddress = QHostAddress().setAddress(settings.host);
    amqp_ssl_socket_set_verify_peer(socket, 1);
    amqp_ssl_socket_set_verify_hostname(socket, hostIsAddress ? 0 : 1);
    auto *context = static_cast<SSL_CTX *>(amqp_ssl_socket_get_context(socket));
    SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
    SSL_CTX_set_default_passwd_cb(context, noPassword);
    // rabbitmq-c 0.11 trusts nothing unless given a CA file; without one, trust what the system trusts.
    if (settings.caFile.isEmpty()) {
        if (SSL_CTX_set_default_verify_paths(context) != 1) {
            *error = failed(QStringLiteral("cannot load the system's CA certificates"));
            return nullptr;
        }
    } else if (amqp_ssl_socket_set_cacert(socket, QFile::encodeName(settings.caFile).constData()) != AMQP_STATUS_OK) {
        *error = failed(QStringLiteral("cannot load the CA file '%1'").arg(settings.caFile));
        return nullptr;
    }
    if (!settings.certFile.isEmpty()
        && amqp_ssl_socket_set_key(socket, QFile::encodeName(settings.certFile).constData(),
               QFile::encodeName(settings.keyFile).constData())
            != AMQP_STATUS_OK) {
        *error = failed(QStringLiteral("cannot load the client certificate '%1' with the key '%2'")
                            .arg(settings.certFile, settings.keyFile));
        return nullptr;
    }
    // The name check in the handshake itself: RFC 6125 rules, and an IP address matched to IP SANs.
    X509_VERIFY_PARAM *parameters = SSL_CTX_get0_param(context);
    const QByteArray host = settings.host.toUtf8();
    const bool hostSet = hostIsAddress
        ? X509_VERIFY_PARAM_set1_ip_asc(parameters, host.constData()) == 1
        : X509_VERIFY_PARAM_set1_host(parameters, host.constData(), size_t(host.size())) == 1;
    if (!hostSet) {
        *error = failed(QStringLiteral("cannot check the broker's certificate against host '%1'").arg(settings.host));
        return nullptr;
    }
    *findings = {};
    SSL_CTX_set_app_data(context, findings);
    SSL_CTX_set_verify(context, SSL_VERIFY_PEER, rememberRefusal);
    SSL_CTX_set_info_callback(context, rememberAlert);
    return socket;
}

QString AmqpTls::takeError()
{
    QString text;
    while (const unsigned long code = ERR_get_error()) {
        if (text.isEmpty()) {
            char buffer[256] = {};
            ERR_error_string_n(code, buffer, sizeof buffer);
            text = QString::fromUtf8(buffer);
        }
    }
    return text;
}

void AmqpTls::releaseThread()
{
    OPENSSL_thread_stop();
}

bool AmqpTls::supported()
{
    return true;
}

#endif
