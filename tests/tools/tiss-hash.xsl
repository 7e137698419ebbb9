<?xml version="1.0" encoding="UTF-8"?>
<!--
  A second, independent computation of the TISS hash for the tests: the
  text of every leaf element but hash, in document order, as UTF-8 text;
  the test converts it with iconv and runs md5sum on it.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="text" encoding="UTF-8"/>
  <xsl:template match="/">
    <xsl:for-each select="//*[not(*)][local-name() != 'hash']">
      <xsl:value-of select="."/>
    </xsl:for-each>
  </xsl:template>
</xsl:stylesheet>
