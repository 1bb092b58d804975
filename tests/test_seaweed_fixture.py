import boto3


def test_seaweed_accepts_put_and_get(seaweed, s3_env):
    client = boto3.client("s3", endpoint_url=seaweed.endpoint)
    client.put_object(Bucket=seaweed.bucket, Key="hello/world.txt", Body=b"hi")
    body = client.get_object(Bucket=seaweed.bucket, Key="hello/world.txt")["Body"].read()
    assert body == b"hi"
