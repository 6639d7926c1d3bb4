import { describe, expect, it } from 'vitest';
import { parseCvss3, roundUp30, roundUp31, scoreCvss3 } from './cvss3.js';

/**
 * [vector, base score, source]. Scores are those of FIRST's calculators (cross-checked with the
 * arbitrary-precision test data of RedHatProductSecurity/cvss, which covers all 2,592 base vectors).
 * FIRST rows are the CVSS v3.1 examples document; BIT rows are real Bitnami vectors (an example record,
 * its label, and how many of the 7,444 Bitnami records carry that vector).
 */
const V31: [string, number, string][] = [
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1, 'CVE-2013-1937 phpMyAdmin XSS'],
  ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N', 6.4, 'CVE-2013-0375 MySQL'],
  ['CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N', 3.1, 'CVE-2014-3566 POODLE'],
  ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H', 9.9, 'CVE-2012-1516 VMware'],
  ['CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L', 4.2, 'CVE-2009-0783 Tomcat'],
  ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', 8.8, 'CVE-2012-0384 Cisco IOS'],
  ['CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', 7.8, 'CVE-2015-1098 iWork'],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', 7.5, 'CVE-2014-0160 Heartbleed'],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8, 'CVE-2014-6271 Shellshock'],
  ['CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:N/I:H/A:N', 6.8, 'CVE-2008-1447 DNS cache poisoning'],
  ['CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 6.8, 'CVE-2014-2005 Sophos full-disk encryption'],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:N/A:N', 5.8, 'CVE-2010-0467 Joomla directory traversal'],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:L/A:N', 5.8, 'CVE-2012-1342 Cisco ASR ACL bypass'],
  ['CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:H', 9.3, 'CVE-2013-6014 Juniper proxy ARP'],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N', 0.0, 'no impact'],
  ['CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:L', 5.6, 'combination'],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', 8.8, 'combination'],
  ['CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:H/A:N', 6.8, 'combination'],
  ['CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:H/A:H', 7.5, 'combination'],
  ['CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:C/C:H/I:N/A:N', 5.6, 'combination, scope changed'],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', 7.5, 'BIT-activemq-2021-21341 (High, 947 records)'],
  ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:N/A:N', 4.3, 'BIT-activemq-2026-33227 (Medium, 277 records)'],
  ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:H', 6.5, 'BIT-airflow-2023-22888 (Medium, 265 records)'],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N', 5.3, 'BIT-airflow-2021-26697 (Medium, 235 records)'],
  ['CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N', 5.4, 'BIT-airflow-2020-11983 (Medium, 210 records)'],
  ['CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:H', 5.5, 'BIT-apache-2020-13938 (Medium, 197 records)'],
  ['CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', 7.8, 'BIT-airflow-2022-41131 (High, 145 records)'],
  ['CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:L/A:N', 3.7, 'BIT-cosign-2026-24122 (Low, 72 records)'],
  ['CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H', 8.1, 'BIT-consul-2023-5332 (High, 63 records)'],
  ['CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:N/I:N/A:H', 4.9, 'BIT-discourse-2023-28107 (Medium, 62 records)'],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N', 9.1, 'BIT-activemq-2021-21342 (Critical, 59 records)'],
  ['CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H', 7.2, 'BIT-airflow-2026-25917 (High, 59 records)'],
  ['CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:H', 5.9, 'BIT-apache-2023-45802 (Medium, 56 records)'],
  ['CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:N', 4.8, 'BIT-apache-2026-33006 (Medium, 42 records)'],
  ['CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N', 7.4, 'BIT-apache-2025-49812 (High, 39 records)'],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:L', 7.3, 'BIT-airflow-2026-45360 (High, 29 records)'],
  ['CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:H', 7.1, 'BIT-apr-2021-35940 (High, 25 records)'],
  ['CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:N/I:L/A:N', 2.7, 'BIT-django-2026-4292 (Low, 25 records)'],
  ['CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:U/C:H/I:H/A:H', 8.0, 'BIT-airflow-2023-40273 (High, 21 records)'],
  ['CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:N/I:L/A:N', 3.1, 'BIT-discourse-2023-37904 (Low, 20 records)'],
  ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:N/A:N', 7.7, 'BIT-airflow-2020-17526 (High, 18 records)'],
  ['CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:U/C:H/I:H/A:H', 7.0, 'BIT-golang-2025-68119 (High, 17 records)'],
  ['CVSS:3.1/AV:N/AC:H/PR:H/UI:N/S:U/C:N/I:N/A:H', 4.4, 'BIT-mariadb-2021-2022 (Medium, 16 records)'],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:N', 8.6, 'BIT-activemq-2021-21349 (High, 13 records)'],
  ['CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:N', 3.8, 'BIT-discourse-2026-33426 (Low, 13 records)'],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:L/A:N', 8.2, 'BIT-discourse-2024-45051 (High, 12 records)'],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H', 9.6, 'BIT-ghost-2026-53943 (Critical, 12 records)'],
  ['CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:H/A:H', 8.3, 'BIT-java-2020-14583 (High, 12 records)'],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:L', 6.3, 'BIT-apache-2024-24795 (Medium, 11 records)'],
  ['CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:U/C:L/I:N/A:N', 3.5, 'BIT-discourse-2022-46168 (Low, 11 records)'],
  ['CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:H/A:H', 9.0, 'BIT-apache-2021-40438 (Critical, 10 records)'],
  ['CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:H/I:H/A:N', 8.7, 'BIT-argo-cd-2026-45738 (High, 10 records)'],
  ['CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:U/C:H/I:N/A:N', 5.7, 'BIT-couchdb-2023-45725 (Medium, 10 records)'],
  ['CVSS:3.1/AV:N/AC:H/PR:L/UI:N/S:U/C:H/I:H/A:N', 6.8, 'BIT-gitlab-2022-0123 (Medium, 9 records)'],
  ['CVSS:3.1/AV:L/AC:H/PR:N/UI:R/S:U/C:N/I:L/A:N', 2.5, 'BIT-java-2024-20922 (Low, 9 records)'],
  ['CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:U/C:H/I:N/A:N', 4.7, 'BIT-airflow-2022-38170 (Medium, 8 records)'],
  ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:N/A:N', 5.0, 'BIT-elk-2026-63142 (Medium, 8 records)'],
  ['CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:N/A:N', 3.3, 'BIT-keydb-2023-41053 (Low, 8 records)'],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 10.0, 'BIT-gitlab-2021-22205 (Critical, 7 records)'],
  ['CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:U/C:L/I:L/A:N', 4.6, 'BIT-airflow-2025-54941 (Medium, 6 records)'],
  ['CVSS:3.1/AV:N/AC:H/PR:H/UI:N/S:U/C:H/I:H/A:H', 6.6, 'BIT-drupal-2026-6366 (Medium, 6 records)'],
  ['CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:L/A:N', 4.2, 'BIT-grafana-2025-6197 (Medium, 6 records)'],
  ['CVSS:3.1/AV:L/AC:H/PR:N/UI:N/S:U/C:L/I:N/A:N', 2.9, 'BIT-java-2026-22007 (Low, 6 records)'],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:L', 9.4, 'BIT-libphp-2024-1874 (Critical, 6 records)'],
  ['CVSS:3.1/AV:L/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', 6.2, 'BIT-bpftool-2025-29481 (Medium, 5 records)'],
  ['CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H', 8.8, 'BIT-cilium-2026-49445 (High, 5 records)'],
  ['CVSS:3.1/AV:N/AC:H/PR:L/UI:N/S:C/C:H/I:H/A:H', 8.5, 'BIT-authentik-2026-47201 (High, 4 records)'],
  ['CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H', 6.7, 'BIT-gitlab-2021-39913 (Medium, 4 records)'],
  ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:N/I:L/A:L', 6.4, 'BIT-argo-cd-2023-50726 (Medium, 3 records)'],
  ['CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:L/I:N/A:N', 4.0, 'BIT-cilium-2025-32793 (Medium, 3 records)'],
  ['CVSS:3.1/AV:A/AC:L/PR:H/UI:N/S:C/C:L/I:N/A:H', 6.9, 'BIT-cilium-2026-53935 (Medium, 3 records)'],
  ['CVSS:3.1/AV:A/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:L', 8.9, 'BIT-cilium-2026-56742 (High, 3 records)'],
  ['CVSS:3.1/AV:N/AC:L/PR:H/UI:R/S:U/C:H/I:N/A:N', 4.5, 'BIT-gitlab-2021-39895 (Medium, 3 records)'],
  ['CVSS:3.1/AV:L/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N', 5.1, 'BIT-java-2023-22041 (Medium, 3 records)'],
  ['CVSS:3.1/AV:L/AC:H/PR:L/UI:R/S:U/C:N/I:H/A:H', 6.0, 'BIT-java-2026-22003 (Medium, 3 records)'],
  ['CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:U/C:L/I:L/A:N', 3.6, 'BIT-keydb-2023-45145 (Low, 3 records)'],
  ['CVSS:3.1/AV:A/AC:H/PR:L/UI:N/S:C/C:H/I:N/A:N', 5.8, 'BIT-libphp-2024-8929 (Medium, 3 records)'],
  ['CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:H/I:L/A:L', 5.6, 'BIT-mariadb-2023-39593 (Medium, 3 records)'],
  ['CVSS:3.1/AV:N/AC:L/PR:H/UI:R/S:C/C:H/I:H/A:H', 8.4, 'BIT-airflow-2024-56373 (High, 2 records)'],
  ['CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:L/A:N', 6.1, 'BIT-composer-2026-59946 (Medium, 2 records)'],
  ['CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N', 2.4, 'BIT-nextcloud-2022-24885 (Low, 2 records)'],
  ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:L', 9.9, 'BIT-aspnet-core-2025-55315 (Critical, 1 records)'],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:N', 9.3, 'BIT-authentik-2026-42849 (Critical, 1 records)'],
  ['CVSS:3.1/AV:N/AC:H/PR:H/UI:N/S:U/C:L/I:N/A:N', 2.2, 'BIT-ejbca-2021-40086 (Low, 1 records)'],
  ['CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:N/I:L/A:N', 2.3, 'BIT-ejbca-2021-40089 (Low, 1 records)'],
  ['CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:C/C:L/I:H/A:N', 7.6, 'BIT-gitlab-2020-13359 (High, 1 records)'],
  ['CVSS:3.1/AV:N/AC:H/PR:L/UI:R/S:U/C:N/I:L/A:N', 2.6, 'BIT-gitlab-2021-22218 (Low, 1 records)'],
  ['CVSS:3.1/AV:N/AC:H/PR:H/UI:R/S:U/C:N/I:L/A:N', 2.0, 'BIT-grafana-2026-21725 (Low, 1 records)'],
  ['CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:N/A:N', 4.1, 'BIT-harbor-2025-32019 (Medium, 1 records)'],
];

const V30: [string, number, string][] = [
  ['CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:L/A:N', 3.3, 'BIT-node-2024-36137 (Low)'],
  ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L', 5.3, 'BIT-node-2025-23085 (Medium)'],
  ['CVSS:3.0/AV:N/AC:L/PR:H/UI:N/S:C/C:H/I:H/A:H', 9.1, 'BIT-magento-2021-21014 (Critical)'],
  ['CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H', 8.1, 'BIT-node-2024-27980 (High)'],
  ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', 7.5, 'BIT-node-2025-23166 (High)'],
  ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H/RL:O', 10.0, 'BIT-appsmith-2025-41240 (Critical)'],
  ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', 7.5, 'BIT-mlflow-2024-8859 (High)'],
  ['CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:N', 8.1, 'BIT-magento-2021-21030 (High)'],
  ['CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:L', 5.6, 'BIT-magento-2021-21031 (Medium)'],
  ['CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N', 6.5, 'BIT-mlflow-2026-2734 (Medium)'],
  ['CVSS:3.0/AV:L/AC:L/PR:H/UI:N/S:C/C:L/I:H/A:L', 7.3, 'BIT-node-2024-22017 (High)'],
  ['CVSS:3.0/AV:L/AC:H/PR:N/UI:N/S:U/C:L/I:N/A:N', 2.9, 'BIT-node-2024-22018 (Low)'],
  ['CVSS:3.0/AV:L/AC:H/PR:N/UI:R/S:U/C:L/I:H/A:H', 6.5, 'BIT-node-2024-22020 (Medium)'],
  ['CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H', 6.5, 'BIT-node-2024-22025 (Medium)'],
  ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:L/A:L', 6.5, 'BIT-node-2024-27982 (Medium)'],
  ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:L/A:H', 8.2, 'BIT-node-2024-27983 (High)'],
  ['CVSS:3.0/AV:L/AC:H/PR:N/UI:R/S:U/C:L/I:L/A:N', 3.6, 'BIT-node-2024-37372 (Low)'],
  ['CVSS:3.0/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N', 7.7, 'BIT-node-2025-23083 (High)'],
  ['CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:L', 3.7, 'BIT-node-2025-23165 (Low)'],
  ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:N', 6.5, 'BIT-node-2025-23167 (Medium)'],
  ['CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:L', 5.3, 'BIT-node-2026-21711 (Medium)'],
  ['CVSS:3.0/AV:N/AC:L/PR:L/UI:R/S:U/C:N/I:N/A:H', 5.7, 'BIT-node-2026-21712 (Medium)'],
  ['CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N', 5.9, 'BIT-node-2026-21713 (Medium)'],
  ['CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:N/A:N', 3.3, 'BIT-node-2026-21715 (Low)'],
  ['CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:H', 5.9, 'BIT-node-2026-21717 (Medium)'],
  ['CVSS:3.0/AV:L/AC:H/PR:H/UI:R/S:U/C:N/I:L/A:N', 1.8, 'BIT-node-2026-48617 (Low)'],
  ['CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:N/A:N', 4.3, 'BIT-node-2026-48934 (Medium)'],
  ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N', 5.3, 'BIT-haproxy-2024-53008 (Medium)'],
  ['CVSS:3.0/AV:N/AC:H/PR:H/UI:N/S:C/C:H/I:H/A:H', 8.0, 'BIT-magento-2021-21015 (High)'],
  ['CVSS:3.0/AV:N/AC:H/PR:N/UI:R/S:U/C:N/I:H/A:N', 5.3, 'BIT-magento-2021-21020 (Medium)'],
  ['CVSS:3.0/AV:N/AC:L/PR:H/UI:R/S:C/C:L/I:L/A:N', 4.8, 'BIT-magento-2021-21023 (Medium)'],
  ['CVSS:3.0/AV:N/AC:H/PR:L/UI:N/S:U/C:H/I:N/A:N', 5.3, 'BIT-magento-2021-21026 (Medium)'],
  ['CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:L/A:N', 4.3, 'BIT-magento-2021-21027 (Medium)'],
  ['CVSS:3.0/AV:L/AC:H/PR:L/UI:N/S:U/C:H/I:H/A:H', 7.0, 'BIT-mlflow-2025-10279 (High)'],
  ['CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:L/A:N', 7.1, 'BIT-mlflow-2026-2393 (High)'],
  ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:H/A:L', 8.6, 'BIT-mlflow-2026-2652 (High)'],
  ['CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:N', 8.1, 'BIT-mlflow-2026-8147 (High)'],
  ['CVSS:3.0/AV:L/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H', 6.7, 'BIT-rabbitmq-2020-5419 (Medium)'],
  ['CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', 8.8, 'BIT-setuptools-2024-6345 (High)'],
  ['CVSS:3.0/S:U/AV:N/AC:L/PR:H/UI:N/C:L/I:L/A:N/E:F/RL:X', 3.8, 'FIRST v3.0 calculator, temporal/environmental ignored'],
  ['CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:N/E:H/RL:O/RC:C/CR:H/IR:H/AR:H/MAV:N/MAC:L/MPR:L/MUI:N/MS:C/MC:H/MI:H/MA:H', 9.3, 'FIRST v3.0 calculator, temporal/environmental ignored'],
  ['CVSS:3.0/AV:L/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N/MAV:A/MAC:L/MPR:N/MUI:N/MS:U/MC:N/MI:N/MA:N', 4.6, 'temporal/environmental ignored'],
  ['CVSS:3.0/AV:L/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N/MAV:A/MAC:L/MPR:N/MUI:N/MS:U/MC:L/MI:N/MA:N', 4.6, 'temporal/environmental ignored'],
  ['CVSS:3.0/AV:L/AC:L/PR:H/UI:R/S:U/C:H/I:N/A:H/E:H/RL:W/RC:U/CR:H/IR:H/AR:M/MAV:L/MAC:L/MPR:H/MUI:N/MS:C/MC:N/MI:H/MA:L', 5.8, 'temporal/environmental ignored'],
  ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N', 0.0, 'temporal/environmental ignored'],
  ['CVSS:3.0/AV:L/AC:L/PR:H/UI:R/S:U/C:H/I:N/A:H/MPR:N', 5.8, 'temporal/environmental ignored'],
  ['CVSS:3.0/AV:A/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:H', 8.2, 'temporal/environmental ignored'],
  ['CVSS:3.0/AV:L/AC:H/PR:L/UI:N/S:C/C:H/I:H/A:L/E:U/RL:U/RC:R/CR:M/MPR:L/MUI:R/MI:N/MA:H', 7.7, 'temporal/environmental ignored'],
  ['CVSS:3.0/AV:L/AC:H/PR:H/UI:N/S:C/C:N/I:H/A:N/E:P/RL:U/RC:U/CR:H/IR:L/AR:H/MAV:L/MUI:R/MS:C/MC:N/MI:L/MA:N', 5.3, 'temporal/environmental ignored'],
  ['CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1, 'temporal/environmental ignored'],
  ['CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N', 6.4, 'temporal/environmental ignored'],
  ['CVSS:3.0/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N', 3.1, 'temporal/environmental ignored'],
  ['CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H', 9.9, 'temporal/environmental ignored'],
  ['CVSS:3.0/AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L', 4.2, 'temporal/environmental ignored'],
  ['CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', 8.8, 'temporal/environmental ignored'],
  ['CVSS:3.0/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', 7.8, 'temporal/environmental ignored'],
  ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', 7.5, 'temporal/environmental ignored'],
  ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8, 'temporal/environmental ignored'],
  ['CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:C/C:N/I:H/A:N', 6.8, 'temporal/environmental ignored'],
  ['CVSS:3.0/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 6.8, 'temporal/environmental ignored'],
  ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:N/A:N', 5.8, 'temporal/environmental ignored'],
  ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:L/A:N', 5.8, 'temporal/environmental ignored'],
  ['CVSS:3.0/AV:A/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:H', 9.3, 'temporal/environmental ignored'],
  ['CVSS:3.0/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N', 5.4, 'temporal/environmental ignored'],
  ['CVSS:3.0/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 8.8, 'temporal/environmental ignored'],
  ['CVSS:3.0/AV:P/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N', 4.6, 'temporal/environmental ignored'],
  ['CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', 8.8, 'temporal/environmental ignored'],
  ['CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N', 7.4, 'temporal/environmental ignored'],
  ['CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H', 9.6, 'temporal/environmental ignored'],
];

describe('CVSS v3.1 base score', () => {
  it('has a large table', () => expect(V31.length).toBeGreaterThanOrEqual(60));
  it.each(V31)('%s → %d (%s)', (vector, score) => {
    expect(scoreCvss3(vector)).toMatchObject({ version: '3.1', score });
  });
});

describe('CVSS v3.0 base score', () => {
  it('has a large table', () => expect(V30.length).toBeGreaterThanOrEqual(20));
  it.each(V30)('%s → %d (%s)', (vector, score) => {
    expect(scoreCvss3(vector)).toMatchObject({ version: '3.0', score });
  });

  it('v3.0 rounds up with the v3.0 calculator\'s Math.ceil, v3.1 with Roundup', () => {
    // Where floating-point noise lands just above a tenth the two differ (CVSS v3.1 spec, Appendix A).
    const cases: [number, number, number][] = [
      [4.000000000000001, 4.1, 4.0],
      [0.30000000000000004, 0.4, 0.3],
      [6.1000000000000005, 6.2, 6.1],
      [7.000000000000001, 7.1, 7.0],
      [2.0000000000000004, 2.1, 2.0],
      [0.000001, 0.1, 0.0],
      [4.02, 4.1, 4.1],
      [4.0, 4.0, 4.0],
      [9.999999, 10.0, 10.0],
      [0.000009, 0.1, 0.1],
    ];
    for (const [input, v30, v31] of cases) {
      expect(roundUp30(input), String(input)).toBe(v30);
      expect(roundUp31(input), String(input)).toBe(v31);
    }
  });

  it('base scores of v3.0 and v3.1 coincide for every one of the 2,592 base vectors', () => {
    // The versions share base equations and weights; the base equation never produces the float noise
    // that makes Math.ceil and Roundup disagree. (They do differ in environmental scores, not computed here.)
    const values = { AV: 'NALP', AC: 'LH', PR: 'NLH', UI: 'NR', S: 'UC', C: 'HLN', I: 'HLN', A: 'HLN' };
    let vectors: string[] = [''];
    for (const [metric, vals] of Object.entries(values))
      vectors = vectors.flatMap((v) => [...vals].map((x) => `${v}/${metric}:${x}`));
    expect(vectors).toHaveLength(2592);
    for (const body of vectors) {
      const v30 = scoreCvss3('CVSS:3.0' + body);
      const v31 = scoreCvss3('CVSS:3.1' + body);
      expect(v30).not.toBeNull();
      expect(v30?.score).toBe(v31?.score);
    }
  });
});

describe('CVSS v3 parsing', () => {
  it('accepts metrics in any order (spec §6) and ignores temporal/environmental metrics', () => {
    expect(scoreCvss3('CVSS:3.1/S:U/AV:N/AC:L/PR:H/UI:N/C:L/I:L/A:N/E:F/RL:X')?.score).toBe(3.8);
    expect(scoreCvss3('CVSS:3.1/A:H/I:H/C:H/S:U/UI:N/PR:N/AC:L/AV:N')?.score).toBe(9.8);
    expect(
      scoreCvss3('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:U/CR:L/IR:L/AR:L/MAV:P/MAC:H/MPR:H/MUI:R/MS:C/MC:N/MI:N/MA:N')
        ?.score,
    ).toBe(9.8);
    expect(scoreCvss3('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:X/RL:X/RC:X/CR:X/IR:X/AR:X/MAV:X/MAC:X/MPR:X/MUI:X/MS:X/MC:X/MI:X/MA:X')?.score).toBe(9.8);
  });

  it('reports the version and the metrics', () => {
    const p = parseCvss3('CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H/RL:O');
    expect(p?.version).toBe('3.0');
    expect(p?.metrics.get('RL')).toBe('O');
    expect(scoreCvss3('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')).toMatchObject({ impact: expect.closeTo(5.873, 3), exploitability: expect.closeTo(3.887, 3) });
  });

  const MALFORMED: [string, string][] = [
    ['missing metric', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H'],
    ['missing scope', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H'],
    ['duplicate metric', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/A:H'],
    ['duplicate with another value', 'CVSS:3.1/AV:N/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'],
    ['duplicate temporal metric', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/E:U'],
    ['bad value', 'CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'],
    ['X for a base metric', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:X/I:H/A:H'],
    ['bad temporal value', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:Z'],
    ['PR:U (a scope letter)', 'CVSS:3.1/AV:N/AC:L/PR:U/UI:N/S:U/C:H/I:H/A:H'],
    ['unknown metric', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/ZZ:H'],
    ['v4 metric', 'CVSS:3.1/AV:N/AC:L/AT:N/PR:N/UI:N/S:U/C:H/I:H/A:H'],
    ['wrong prefix', 'CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'],
    ['no prefix', 'AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'],
    ['prefix without version', 'CVSS/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'],
    ['v2 vector', 'AV:N/AC:L/Au:N/C:P/I:P/A:P'],
    ['lowercase values', 'CVSS:3.1/AV:n/AC:l/PR:n/UI:n/S:u/C:h/I:h/A:h'],
    ['lowercase metrics', 'CVSS:3.1/av:N/ac:L/pr:N/ui:N/s:U/c:H/i:H/a:H'],
    ['lowercase prefix', 'cvss:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'],
    ['trailing slash', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/'],
    ['double slash', 'CVSS:3.1/AV:N/AC:L//PR:N/UI:N/S:U/C:H/I:H/A:H'],
    ['leading whitespace', ' CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'],
    ['trailing newline', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\n'],
    ['space inside', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A: H'],
    ['missing value', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:'],
    ['missing colon', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/AH'],
    ['two colons', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H:H'],
    ['prototype key', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/__proto__:X'],
    ['constructor key', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/constructor:X'],
    ['prefix only', 'CVSS:3.1/'],
    ['empty', ''],
    ['huge', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' + '/E:X'.repeat(200)],
  ];
  it.each(MALFORMED)('%s → null', (_what, vector) => {
    expect(parseCvss3(vector)).toBeNull();
    expect(scoreCvss3(vector)).toBeNull();
  });

  it('does not throw on non-strings', () => {
    for (const v of [null, undefined, 42, {}, ['CVSS:3.1/AV:N']]) expect(scoreCvss3(v as unknown as string)).toBeNull();
  });
});
