// Palettes the look tests render with: a light one (Qt's own default scheme), and two dark ones as
// desktops ship them (Fusion's usual dark scheme, and one whose Base and Window are equal).
#pragma once

#include <QColor>
#include <QList>
#include <QPair>
#include <QPalette>

namespace LookPalettes {

inline QPalette make(QColor window, QColor windowText, QColor base, QColor alternateBase, QColor text, QColor highlight,
    QColor highlightedText, QColor link, QColor placeholder)
{
    QPalette p(windowText, window, window.lighter(130), window.darker(160), window.darker(120), text, base);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, windowText);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, alternateBase);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, windowText);
    p.setColor(QPalette::Highlight, highlight);
    p.setColor(QPalette::HighlightedText, highlightedText);
    p.setColor(QPalette::Link, link);
    p.setColor(QPalette::PlaceholderText, placeholder);
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    for (QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, placeholder);
    return p;
}

inline QPalette light()
{
    return make(QColor(0xef, 0xef, 0xef), Qt::black, Qt::white, QColor(0xf7, 0xf7, 0xf7), Qt::black,
        QColor(0x30, 0x8c, 0xc6), Qt::white, QColor(0x00, 0x00, 0xff), QColor(0x80, 0x80, 0x80));
}

inline QPalette dark()
{
    return make(QColor(0x35, 0x35, 0x35), Qt::white, QColor(0x2a, 0x2a, 0x2a), QColor(0x42, 0x42, 0x42), Qt::white,
        QColor(0x2a, 0x82, 0xda), Qt::white, QColor(0x2a, 0x82, 0xda), QColor(0x90, 0x90, 0x90));
}

// Base equal to Window and a navy link, the traps of some dark themes.
inline QPalette flatDark()
{
    return make(QColor(0x23, 0x26, 0x29), QColor(0xef, 0xf0, 0xf1), QColor(0x23, 0x26, 0x29), QColor(0x2c, 0x30, 0x34),
        QColor(0xfc, 0xfc, 0xfc), QColor(0x3d, 0xae, 0xe9), QColor(0xfc, 0xfc, 0xfc), QColor(0x0b, 0x2e, 0x80),
        QColor(0x7f, 0x85, 0x8a));
}

inline QList<QPair<const char *, QPalette>> all()
{
    return {{"light", light()}, {"dark", dark()}, {"flat dark", flatDark()}};
}

} // namespace LookPalettes
