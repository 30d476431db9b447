<?xml version="1.0" encoding="UTF-8"?>
<!-- newsexport's default feed stylesheet: shows an RSS 2.0 or Atom feed as a readable page.
     Browsers apply it through the feed's xml-stylesheet instruction; feed readers ignore it. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    exclude-result-prefixes="atom dc">
  <xsl:output method="html" encoding="UTF-8" indent="yes" doctype-system="about:legacy-compat"/>

  <xsl:template match="/">
    <xsl:variable name="title" select="rss/channel/title | atom:feed/atom:title"/>
    <html>
      <head>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/></title>
        <style>
          body { font: 17px/1.5 Georgia, serif; max-width: 42em; margin: 2em auto; padding: 0 1em; color: #222; }
          .note { font: 14px/1.4 system-ui, sans-serif; background: #fff7d6; border: 1px solid #e6d48a; padding: .6em .8em; border-radius: 4px; }
          h1 { margin-bottom: .2em; }
          h2 { font-size: 1.15em; margin: 0 0 .2em; }
          article { border-top: 1px solid #ddd; padding: .8em 0; }
          .meta { font: 14px/1.4 system-ui, sans-serif; color: #666; margin: 0; }
          a { color: #1a4f9c; }
        </style>
      </head>
      <body>
        <header>
          <p class="note">This is a web feed. Copy the address of this page into a feed reader to subscribe.</p>
          <h1><xsl:value-of select="$title"/></h1>
          <p><xsl:value-of select="rss/channel/description | atom:feed/atom:subtitle"/></p>
          <xsl:variable name="site" select="rss/channel/link | atom:feed/atom:link[@rel='alternate']/@href"/>
          <xsl:if test="$site">
            <p><a href="{$site}">Visit the website</a></p>
          </xsl:if>
        </header>
        <main>
          <xsl:apply-templates select="rss/channel/item | atom:feed/atom:entry"/>
        </main>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="item">
    <xsl:call-template name="entry">
      <xsl:with-param name="title" select="title"/>
      <xsl:with-param name="link" select="link"/>
      <xsl:with-param name="date" select="pubDate"/>
      <xsl:with-param name="authors" select="dc:creator"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="atom:entry">
    <xsl:call-template name="entry">
      <xsl:with-param name="title" select="atom:title"/>
      <xsl:with-param name="link" select="atom:link[@rel='alternate' or not(@rel)][1]/@href"/>
      <xsl:with-param name="date" select="(atom:published | atom:updated)[1]"/>
      <xsl:with-param name="authors" select="atom:author/atom:name"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="entry">
    <xsl:param name="title"/>
    <xsl:param name="link"/>
    <xsl:param name="date"/>
    <xsl:param name="authors"/>
    <article class="entry">
      <h2>
        <xsl:choose>
          <xsl:when test="$link"><a href="{$link}"><xsl:value-of select="$title"/></a></xsl:when>
          <xsl:otherwise><xsl:value-of select="$title"/></xsl:otherwise>
        </xsl:choose>
      </h2>
      <p class="meta">
        <time><xsl:value-of select="$date"/></time>
        <xsl:for-each select="$authors">
          <xsl:text> · </xsl:text><xsl:value-of select="."/>
        </xsl:for-each>
      </p>
    </article>
  </xsl:template>
</xsl:stylesheet>
